import pg from 'pg';

const holder = globalThis as unknown as { __itsmPgPool?: pg.Pool };

/** A small raw pg pool for what Prisma does not do: rate-limit counters and NOTIFY. */
export function pgPool(): pg.Pool {
	if (!holder.__itsmPgPool) {
		const connectionString = process.env.DATABASE_URL;
		if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started');
		holder.__itsmPgPool = new pg.Pool({ connectionString, max: 4, idleTimeoutMillis: 10_000 });
		holder.__itsmPgPool.on('error', () => undefined); // a dropped idle client; next query reconnects
	}
	return holder.__itsmPgPool;
}

export async function closePgPool(): Promise<void> {
	const pool = holder.__itsmPgPool;
	holder.__itsmPgPool = undefined;
	await pool?.end();
}
