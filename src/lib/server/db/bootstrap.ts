import pg from 'pg';
import { config } from '../config';
import { log } from '../log';
import { startEmbedded, type EmbeddedDatabase } from './embedded';
import { migrate } from './migrate';
import { seedDemo } from './seed';

export class DatabaseUnavailableError extends Error {
	constructor(url: string, cause: unknown) {
		const safe = url.replace(/\/\/([^:/@]+)(:[^@]*)?@/, '//$1:***@');
		super(`Cannot reach the database at ${safe}: ${(cause as Error).message}`, { cause });
		this.name = 'DatabaseUnavailableError';
	}
}

export interface PreparedDatabase {
	url: string;
	embedded?: EmbeddedDatabase;
	migrations: string[];
	seeded: boolean;
}

async function assertReachable(url: string): Promise<void> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
	try {
		await client.connect();
		await client.query('SELECT 1');
	} catch (err) {
		throw new DatabaseUnavailableError(url, err);
	} finally {
		await client.end().catch(() => undefined);
	}
}

/**
 * Start-up: DATABASE_URL when set, otherwise the embedded PostgreSQL in DATA_DIR; then pending
 * migrations, then demo data (embedded by default, SEED_DEMO=1 otherwise). Sets DATABASE_URL
 * for the rest of the process.
 */
export async function prepareDatabase(): Promise<PreparedDatabase> {
	let embedded: EmbeddedDatabase | undefined;
	let url = config.databaseUrl;
	if (!url) {
		embedded = await startEmbedded(config.dataDir, (m) => log.debug({ pg: m.trim() }, 'postgres'));
		url = embedded.url;
		process.env.DATABASE_URL = url;
		if (process.env.SEED_DEMO === undefined) process.env.SEED_DEMO = '1';
		log.info({ dataDir: config.dataDir, port: embedded.port }, 'embedded PostgreSQL started');
	}
	await assertReachable(url);
	const migrations = await migrate(url);
	if (migrations.length) log.info({ migrations }, 'migrations applied');
	const seeded = config.seedDemo ? await seedDemo() : false;
	if (seeded) log.info('demo data seeded');
	return { url, embedded, migrations, seeded };
}
