import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';

/**
 * Applies pending SQL migrations from prisma/migrations and records them in Prisma's own
 * `_prisma_migrations` table, so `prisma migrate deploy` elsewhere sees the same state.
 * (Prisma's CLI needs a native engine that cannot be downloaded on our machines.)
 * A PostgreSQL advisory lock makes concurrent starts of several instances safe.
 */
export async function migrate(
	databaseUrl: string,
	dir = resolve(process.env.MIGRATIONS_DIR ?? 'prisma/migrations')
): Promise<string[]> {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	const applied: string[] = [];
	try {
		await client.query('SELECT pg_advisory_lock(727274)');
		await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
			"id" VARCHAR(36) PRIMARY KEY NOT NULL,
			"checksum" VARCHAR(64) NOT NULL,
			"finished_at" TIMESTAMPTZ,
			"migration_name" VARCHAR(255) NOT NULL,
			"logs" TEXT,
			"rolled_back_at" TIMESTAMPTZ,
			"started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
			"applied_steps_count" INTEGER NOT NULL DEFAULT 0
		)`);
		const done = await client.query<{ migration_name: string }>(
			'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL'
		);
		const doneNames = new Set(done.rows.map((r) => r.migration_name));
		const names = (await readdir(dir, { withFileTypes: true }))
			.filter((d) => d.isDirectory())
			.map((d) => d.name)
			.sort();
		for (const name of names) {
			if (doneNames.has(name)) continue;
			const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
			const checksum = createHash('sha256').update(sql).digest('hex');
			await client.query('BEGIN');
			try {
				await client.query(sql);
				await client.query(
					`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
					 VALUES ($1, $2, now(), $3, 1)`,
					[randomUUID(), checksum, name]
				);
				await client.query('COMMIT');
				applied.push(name);
			} catch (err) {
				await client.query('ROLLBACK');
				throw new Error(`Migration ${name} failed: ${(err as Error).message}`, { cause: err });
			}
		}
	} finally {
		await client.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
		await client.end();
	}
	return applied;
}
