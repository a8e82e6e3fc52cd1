import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../src/lib/server/db/migrate';

/** The shared test server's URL with another database name. */
export function urlForDatabase(name: string): string {
	const url = new URL(inject('databaseUrl'));
	url.pathname = `/${name}`;
	return url.toString();
}

async function asAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: urlForDatabase('postgres') });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/**
 * A database of its own on the shared test server, for the few tests that need the whole
 * table to themselves (e.g. "the last active admin"). Migrated unless told otherwise.
 */
export async function createDatabase(opts: { migrated?: boolean } = {}) {
	const name = `itsm_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
	await asAdmin((c) => c.query(`CREATE DATABASE ${name}`));
	const url = urlForDatabase(name);
	if (opts.migrated ?? true) await migrate(url);
	return {
		name,
		url,
		drop: () => asAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
	};
}

/**
 * Points this test file's process at its own database: DATABASE_URL is switched before the
 * first query (db() and the pg pool are created lazily). Call from beforeAll; undo with the
 * returned function from afterAll.
 */
export async function useOwnDatabase() {
	const { disconnectDb } = await import('../../src/lib/server/db/client');
	const { closePgPool } = await import('../../src/lib/server/db/pool');
	const { stopBus } = await import('../../src/lib/server/realtime/bus');
	const { forgetJwtSecret } = await import('../../src/lib/server/identity/secret');
	const database = await createDatabase();
	const previous = process.env.DATABASE_URL;
	const reset = async () => {
		await stopBus();
		await disconnectDb();
		await closePgPool();
		forgetJwtSecret();
	};
	await reset();
	process.env.DATABASE_URL = database.url;
	return {
		url: database.url,
		async restore() {
			await reset();
			process.env.DATABASE_URL = previous;
			await database.drop();
		}
	};
}
