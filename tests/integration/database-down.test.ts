import { createServer } from 'node:net';
import type { Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, prepareDatabase } from '../../src/lib/server/db/bootstrap';
import { db, disconnectDb } from '../../src/lib/server/db/client';
import { closePgPool } from '../../src/lib/server/db/pool';
import { AppError } from '../../src/lib/server/errors';
import { checkHealth } from '../../src/lib/server/health';
import { signIn } from '../../src/lib/server/identity/auth';
import { isDatabaseDown } from '../../src/lib/server/http/auth';
import { publish } from '../../src/lib/server/realtime/bus';
import { stopBus } from '../../src/lib/server/realtime/bus';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCaller } from '../../src/lib/server/trpc/root';
import { makeUser, sessionUserOf } from '../helpers/factories';
import { errorShape, expectCode } from '../helpers/trpc';

/** A port nothing listens on. */
function closedPort(): Promise<number> {
	return new Promise((resolve) => {
		const srv = createServer().listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}

const liveUrl = () => process.env.DATABASE_URL!;

/** Runs `fn` with this process's database connections pointed at `url`, then points them back. */
async function withDatabaseUrl<T>(url: string, fn: () => Promise<T>): Promise<T> {
	const live = liveUrl();
	await stopBus();
	await disconnectDb();
	await closePgPool();
	process.env.DATABASE_URL = url;
	try {
		return await fn();
	} finally {
		await disconnectDb();
		await closePgPool();
		process.env.DATABASE_URL = live;
	}
}

let deadUrl: string;
beforeAll(async () => {
	deadUrl = `postgresql://postgres:s3cret-pw@127.0.0.1:${await closedPort()}/itsm`;
});
afterAll(() => disconnectDb());

describe('health', () => {
	it('reports ok with the database up, through the public health.check procedure', async () => {
		const health = await createCaller(createContext({ user: null })).health.check();
		expect(health).toMatchObject({ status: 'ok', database: { status: 'up' } });
		expect(health.database.latencyMs).toBeGreaterThanOrEqual(0);
		expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
		expect(typeof health.version).toBe('string');
	});

	it('reports degraded with the database down, and says why in one line', async () => {
		const health = await withDatabaseUrl(deadUrl, () => checkHealth());
		expect(health.status).toBe('degraded');
		expect(health.database.status).toBe('down');
		expect(health.database.error).toMatch(/Can't reach database server at 127\.0\.0\.1:\d+/);
		expect(health.database.error).not.toContain('\n');
		expect(health.database.error).not.toContain('s3cret-pw');
		// And up again once the database is back.
		expect((await checkHealth()).database.status).toBe('up');
	});
});

describe('with the database unreachable', () => {
	it('a query fails with an error isDatabaseDown recognises', async () => {
		const err = await withDatabaseUrl(deadUrl, () =>
			db()
				.user.count()
				.catch((e: unknown) => e)
		);
		expect(err).toBeInstanceOf(Error);
		expect(isDatabaseDown(err)).toBe(true);
	});

	it('signing in fails as an outage, not as wrong credentials', async () => {
		const user = await makeUser();
		const err = await withDatabaseUrl(deadUrl, () =>
			signIn(user.email, 'whatever', { ip: '192.0.2.1' }).catch((e: unknown) => e)
		);
		expect(err).not.toBeInstanceOf(AppError);
		expect(isDatabaseDown(err)).toBe(true);
	});

	it('publish does not throw: a lost live event never fails the change that raised it', async () => {
		await withDatabaseUrl(deadUrl, async () => {
			await expect(publish({ type: 'GroupChanged', groupId: 'x' })).resolves.toBeUndefined();
		});
	});

	it('a procedure fails as INTERNAL_SERVER_ERROR with a generic message, and the cause is logged', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const logged: unknown[] = [];
		const log = { error: (obj: unknown) => logged.push(obj) } as unknown as Logger;
		const caller = createCaller(createContext({ user: sessionUserOf(admin), log }));
		const err = await withDatabaseUrl(deadUrl, () =>
			expectCode(caller.users.list({}), 'INTERNAL_SERVER_ERROR')
		);
		expect(errorShape(err, 'users.list').message).toBe(
			'Something went wrong on our side. Please try again.'
		);
		expect(logged).toHaveLength(1);
		expect(logged[0]).toMatchObject({ path: 'users.list' });
	});

	it('prepareDatabase throws DatabaseUnavailableError naming the address, password masked', async () => {
		const err = await withDatabaseUrl(deadUrl, () => prepareDatabase().catch((e: unknown) => e));
		expect(err).toBeInstanceOf(DatabaseUnavailableError);
		const message = (err as Error).message;
		const port = new URL(deadUrl).port;
		expect(message).toContain(
			`Cannot reach the database at postgresql://postgres:***@127.0.0.1:${port}/itsm`
		);
		expect(message).not.toContain('s3cret-pw');
		expect(message).toMatch(/ECONNREFUSED/);
		expect(isDatabaseDown(err)).toBe(true);
	});
});

describe('isDatabaseDown', () => {
	it('recognises connection errors by message, code, or anywhere in the cause chain', () => {
		expect(isDatabaseDown(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
		expect(isDatabaseDown(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
		expect(isDatabaseDown(Object.assign(new Error('x'), { code: 'P1001' }))).toBe(true);
		expect(isDatabaseDown(new Error('Connection terminated unexpectedly'))).toBe(true);
		expect(isDatabaseDown(new Error('the database system is starting up'))).toBe(true);
		const wrapped = new Error('load failed', {
			cause: new Error('query failed', {
				cause: Object.assign(new Error('y'), { code: 'ECONNREFUSED' })
			})
		});
		expect(isDatabaseDown(wrapped)).toBe(true);
	});

	it('does not mistake ordinary errors for an outage', async () => {
		const user = await makeUser();
		const duplicate = await db()
			.user.create({ data: { email: user.email, name: 'twin' } })
			.catch((e: unknown) => e);
		expect((duplicate as { code?: string }).code).toBe('P2002');
		expect(isDatabaseDown(duplicate)).toBe(false);
		const syntax = await db()
			.$queryRawUnsafe('SELEC 1')
			.catch((e: unknown) => e);
		expect(syntax).toBeInstanceOf(Error);
		expect(isDatabaseDown(syntax)).toBe(false);
		expect(isDatabaseDown(new Error('Name is required.'))).toBe(false);
		expect(isDatabaseDown(null)).toBe(false);
		expect(isDatabaseDown(undefined)).toBe(false);
		expect(isDatabaseDown('ECONNREFUSED')).toBe(false);
	});
});
