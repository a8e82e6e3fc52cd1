import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
	chmodSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import {
	DataDirInUseError,
	findRunningEmbedded,
	isAlive,
	startEmbedded,
	type EmbeddedDatabase
} from '../../src/lib/server/db/embedded';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../../src/lib/server/db/seed';
import { signIn } from '../../src/lib/server/identity/auth';
import { startRuntime, type Runtime } from '../../src/lib/server/runtime';
import { uniqueIp } from '../helpers/factories';

/*
 * These start real PostgreSQL servers, so there are few of them and they share one data folder
 * (initdb runs once); they run in order, ending with a whole app start on that folder.
 */
const dir = mkdtempSync(join(tmpdir(), 'itsm-embedded-'));
chmodSync(dir, 0o755);
const running: EmbeddedDatabase[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
	for (const child of children) child.kill('SIGKILL');
	for (const db of running) await db.stop();
	rmSync(dir, { recursive: true, force: true });
});

async function query(url: string, sql: string): Promise<unknown[]> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
	await client.connect();
	try {
		return (await client.query(sql)).rows;
	} finally {
		await client.end();
	}
}

async function start(): Promise<EmbeddedDatabase> {
	const db = await startEmbedded(dir);
	running.push(db);
	return db;
}

async function stop(db: EmbeddedDatabase): Promise<void> {
	await db.stop();
	running.splice(running.indexOf(db), 1);
}

const lockOf = () =>
	JSON.parse(readFileSync(join(dir, 'app.lock'), 'utf8')) as { pid: number; port?: number };

/** The pid of a process that has exited. */
function deadPid(): number {
	const pid = spawnSync(process.execPath, ['-e', '']).pid;
	expect(isAlive(pid)).toBe(false);
	return pid;
}

/** Another app process starting the embedded database on `folder`; resolves with its URL or error. */
function otherProcess(folder: string) {
	const script = `
		import { startEmbedded } from ${JSON.stringify(resolve('src/lib/server/db/embedded.ts'))};
		try {
			const db = await startEmbedded(${JSON.stringify(folder)});
			console.log(JSON.stringify({ url: db.url }));
			setInterval(() => {}, 1000);
		} catch (err) {
			console.log(JSON.stringify({ name: err.name, message: err.message, pid: err.pid }));
			process.exit(0);
		}`;
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	children.push(child);
	const result = new Promise<{ url?: string; name?: string; message?: string; pid?: number }>(
		(resolveResult, reject) => {
			let out = '';
			child.stdout!.on('data', (chunk: Buffer) => {
				out += chunk.toString();
				const line = out.split('\n').find((l) => l.startsWith('{'));
				if (line) resolveResult(JSON.parse(line) as never);
			});
			child.on('exit', (code) =>
				reject(new Error(`child exited (${code}) before answering: ${out}`))
			);
		}
	);
	return { child, result };
}

describe('the embedded PostgreSQL and its data folder', () => {
	it('a second start on the same folder fails with DataDirInUseError naming it, and the first keeps answering', async () => {
		const first = await start();
		expect(await query(first.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
		expect(lockOf()).toEqual({ pid: process.pid, port: first.port });

		const err = await startEmbedded(dir).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(DataDirInUseError);
		expect((err as DataDirInUseError).dataDir).toBe(dir);
		expect((err as DataDirInUseError).message).toContain(dir);
		expect(await query(first.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
		expect(lockOf()).toEqual({ pid: process.pid, port: first.port });

		await query(first.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)');
		expect(await findRunningEmbedded(dir)).toBe(first.url);
		await stop(first);
		await first.stop(); // stopping twice is harmless
		expect(existsSync(join(dir, 'app.lock'))).toBe(false);
		expect(await findRunningEmbedded(dir)).toBeUndefined();
	});

	it('after stop, a restart works and keeps the data', async () => {
		const again = await start();
		expect(await query(again.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
		await stop(again);
	});

	it('a stale app.lock whose process is dead is taken over', async () => {
		writeFileSync(join(dir, 'app.lock'), JSON.stringify({ pid: deadPid(), port: 1 }));
		expect(await findRunningEmbedded(dir)).toBeUndefined();
		const db = await start();
		expect(lockOf().pid).toBe(process.pid);
		expect(await query(db.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
		await stop(db);

		// A lock naming this very pid that this process never took: a previous run's (containers
		// restart with the same pid), so it is stale too.
		writeFileSync(join(dir, 'app.lock'), JSON.stringify({ pid: process.pid }));
		await stop(await start());
	});

	it('another process on the same folder is refused; once it is killed, its orphaned server is replaced', async () => {
		const other = otherProcess(dir);
		const { url } = await other.result;
		expect(url).toBeDefined();
		expect(lockOf().pid).toBe(other.child.pid);

		const err = await startEmbedded(dir).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(DataDirInUseError);
		expect((err as DataDirInUseError).pid).toBe(other.child.pid);
		expect((err as DataDirInUseError).message).toContain(`pid ${other.child.pid}`);
		expect(await query(url!, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);

		// The owner dies without stopping PostgreSQL (kill -9): the next start cleans up after it.
		other.child.kill('SIGKILL');
		await new Promise((r) => other.child.once('exit', r));
		const db = await start();
		expect(await query(db.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
		await expect(query(url!, 'SELECT 1')).rejects.toThrow();
		await stop(db);
	});
});

describe('the app start without DATABASE_URL (startRuntime)', () => {
	const saved = {
		DATABASE_URL: process.env.DATABASE_URL,
		DATA_DIR: process.env.DATA_DIR,
		SEED_DEMO: process.env.SEED_DEMO
	};
	let runtime: Runtime;

	beforeAll(async () => {
		process.env.DATABASE_URL = '';
		process.env.DATA_DIR = dir;
		delete process.env.SEED_DEMO;
		runtime = await startRuntime();
	});

	afterAll(async () => {
		await runtime?.shutdown();
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	});

	it('starts the embedded database in DATA_DIR, applies every migration and seeds the demo', async () => {
		expect(runtime.database.embedded).toBeDefined();
		expect(runtime.database.url).toBe(process.env.DATABASE_URL);
		expect(await query(runtime.database.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
		const migrations = readdirSync('prisma/migrations', { withFileTypes: true })
			.filter((d) => d.isDirectory())
			.map((d) => d.name)
			.sort();
		expect(runtime.database.migrations).toEqual(migrations);
		expect(runtime.database.seeded).toBe(true);
		expect(await startRuntime()).toBe(runtime); // once per process
	});

	it('the four demo accounts can sign in with the demo password; the requester exists without one', async () => {
		for (const account of DEMO_ACCOUNTS) {
			const result = await signIn(account.email, DEMO_PASSWORD, { ip: uniqueIp() });
			expect(result.user).toMatchObject({
				email: account.email,
				role: account.role,
				name: account.name
			});
		}
		const requester = await db().user.findUniqueOrThrow({
			where: { email: 'requester@example.com' }
		});
		expect(requester).toMatchObject({ role: 'REQUESTER', passwordHash: null });
		expect(await db().group.count()).toBe(3);
	});

	it('seeding runs once: a second call returns false and changes nothing', async () => {
		const users = await db().user.count();
		await db().user.update({
			where: { email: 'agent@demo.test' },
			data: { title: 'Changed since' }
		});
		expect(await seedDemo()).toBe(false);
		expect(await db().user.count()).toBe(users);
		expect((await db().user.findUniqueOrThrow({ where: { email: 'agent@demo.test' } })).title).toBe(
			'Changed since'
		);
	});

	it('shutdown stops the database, frees the data folder and is idempotent', async () => {
		const url = runtime.database.url;
		const first = runtime.shutdown();
		expect(runtime.shutdown()).toBe(first);
		await first;
		expect(existsSync(join(dir, 'app.lock'))).toBe(false);
		const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
		await expect(client.connect()).rejects.toThrow();
		await client.end().catch(() => undefined);
	});
});
