import { afterAll, inject } from 'vitest';
import { disconnectDb } from '../../src/lib/server/db/client';
import { closePgPool } from '../../src/lib/server/db/pool';
import { stopBus } from '../../src/lib/server/realtime/bus';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.NODE_ENV = 'test';

afterAll(async () => {
	await stopBus();
	await disconnectDb();
	await closePgPool();
});
