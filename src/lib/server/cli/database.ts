import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { disconnectDb } from '../db/client';
import { findRunningEmbedded, startEmbedded } from '../db/embedded';
import { migrate } from '../db/migrate';
import { closePgPool } from '../db/pool';
import { stopBus } from '../realtime/bus';

export type DatabaseSource = 'DATABASE_URL' | 'running-app' | 'started';

export interface CliDatabase {
	url: string;
	/** Where the URL came from: the environment, the app running on DATA_DIR, or started here. */
	source: DatabaseSource;
	dataDir?: string;
	/** Closes this process's connections, restores DATABASE_URL, stops what was started here. */
	close(): Promise<void>;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../prisma/migrations', import.meta.url));

/** Prisma, the raw pool and the bus listener all connect lazily to process.env.DATABASE_URL. */
async function releaseConnections(): Promise<void> {
	await stopBus();
	await disconnectDb();
	await closePgPool();
}

async function resolveUrl(
	env: NodeJS.ProcessEnv
): Promise<Omit<CliDatabase, 'close'> & { stop?: () => Promise<void> }> {
	const configured = env.DATABASE_URL || undefined;
	if (configured) return { url: configured, source: 'DATABASE_URL' };
	const dataDir = resolve(env.DATA_DIR ?? 'data');
	const running = await findRunningEmbedded(dataDir);
	if (running) return { url: running, source: 'running-app', dataDir };
	const embedded = await startEmbedded(dataDir);
	try {
		await migrate(embedded.url, env.MIGRATIONS_DIR ?? MIGRATIONS_DIR);
	} catch (err) {
		await embedded.stop();
		throw err;
	}
	return { url: embedded.url, source: 'started', dataDir, stop: () => embedded.stop() };
}

/**
 * The database a CLI command works on: DATABASE_URL when set; otherwise the embedded database of
 * DATA_DIR (default ./data) — the running app's when an app holds the folder, else started here
 * (creating and migrating the folder if needed) and stopped again by close().
 *
 * `env` is read instead of process.env so tests can vary it. The domain's `db()` reads
 * process.env.DATABASE_URL, so that one variable points at the resolved URL until close().
 */
export async function openDatabase(env: NodeJS.ProcessEnv = process.env): Promise<CliDatabase> {
	const { stop, ...resolved } = await resolveUrl(env);
	const previous = process.env.DATABASE_URL;
	await releaseConnections();
	process.env.DATABASE_URL = resolved.url;
	let closed = false;
	return {
		...resolved,
		async close() {
			if (closed) return;
			closed = true;
			try {
				await releaseConnections();
			} finally {
				if (previous === undefined) delete process.env.DATABASE_URL;
				else process.env.DATABASE_URL = previous;
				await stop?.();
			}
		}
	};
}
