import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../src/lib/server/db/bootstrap';
import { db } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';
import { DEMO_ACCOUNTS, seedDemo } from '../../src/lib/server/db/seed';
import { createDatabase, useOwnDatabase } from '../helpers/database';

const MIGRATIONS: string[] = readdirSync('prisma/migrations', { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.map((d) => d.name)
	.sort();

async function rows<T>(url: string, sql: string): Promise<T[]> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return (await client.query(sql)).rows as T[];
	} finally {
		await client.end();
	}
}

const drops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
	for (const drop of drops) await drop();
});

async function emptyDatabase() {
	const database = await createDatabase({ migrated: false });
	drops.push(database.drop);
	return database.url;
}

describe('migrate()', () => {
	it('applies every migration once, recorded in _prisma_migrations with its checksum; again is a no-op', async () => {
		const url = await emptyDatabase();
		expect(await migrate(url)).toEqual(MIGRATIONS);
		expect(await migrate(url)).toEqual([]);
		const recorded = await rows<{ migration_name: string; checksum: string; finished_at: Date }>(
			url,
			'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name'
		);
		expect(recorded.map((r) => r.migration_name)).toEqual(MIGRATIONS);
		for (const r of recorded) {
			const sql = readFileSync(
				join('prisma/migrations', r.migration_name, 'migration.sql'),
				'utf8'
			);
			expect(r.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
			expect(r.finished_at).toBeInstanceOf(Date);
		}
	});

	it('concurrent starts apply each migration exactly once (advisory lock)', async () => {
		const url = await emptyDatabase();
		const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
		expect(results.flat().sort()).toEqual(MIGRATIONS);
		const recorded = await rows<{ n: number }>(
			url,
			'SELECT count(*)::int AS n FROM "_prisma_migrations"'
		);
		expect(recorded).toEqual([{ n: MIGRATIONS.length }]);
	});

	it('a failing migration is rolled back and reported by name; the ones before it stay applied', async () => {
		const url = await emptyDatabase();
		const dir = mkdtempSync(join(tmpdir(), 'itsm-migrations-'));
		try {
			const files: [string, string][] = [
				['001_good', 'CREATE TABLE good (id int);'],
				['002_bad', 'CREATE TABLE half (id int); SELEC oops;']
			];
			for (const [name, sql] of files) {
				mkdirSync(join(dir, name));
				writeFileSync(join(dir, name, 'migration.sql'), sql);
			}
			await expect(migrate(url, dir)).rejects.toThrow(/^Migration 002_bad failed: .*syntax error/);
			const tables = await rows<{ t: string }>(
				url,
				`SELECT tablename AS t FROM pg_tables WHERE tablename IN ('good', 'half') ORDER BY 1`
			);
			expect(tables).toEqual([{ t: 'good' }]);

			writeFileSync(join(dir, '002_bad', 'migration.sql'), 'CREATE TABLE half (id int);');
			expect(await migrate(url, dir)).toEqual(['002_bad']);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('prepareDatabase() with DATABASE_URL, and the demo seed', () => {
	let restore: () => Promise<void>;
	const seedFlag = process.env.SEED_DEMO;
	beforeAll(async () => {
		({ restore } = await useOwnDatabase());
	});
	afterAll(async () => {
		if (seedFlag === undefined) delete process.env.SEED_DEMO;
		else process.env.SEED_DEMO = seedFlag;
		await restore();
	});

	it('an external database is not seeded unless SEED_DEMO=1 asks for it', async () => {
		delete process.env.SEED_DEMO;
		const prepared = await prepareDatabase();
		expect(prepared).toEqual({
			url: process.env.DATABASE_URL,
			embedded: undefined,
			migrations: [],
			seeded: false
		});
		expect(await db().user.count()).toBe(0);
	});

	it('SEED_DEMO=1 creates the four demo accounts once; the next call returns false', async () => {
		process.env.SEED_DEMO = '1';
		expect((await prepareDatabase()).seeded).toBe(true);
		const demo = await db().user.findMany({
			where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } },
			select: { email: true, role: true }
		});
		expect(demo.sort((a, b) => a.email.localeCompare(b.email))).toEqual(
			DEMO_ACCOUNTS.map(({ email, role }) => ({ email, role })).sort((a, b) =>
				a.email.localeCompare(b.email)
			)
		);
		const count = await db().user.count();
		expect(await seedDemo()).toBe(false);
		expect((await prepareDatabase()).seeded).toBe(false);
		expect(await db().user.count()).toBe(count);
	});

	it('SEED_DEMO=0 turns seeding off explicitly', async () => {
		process.env.SEED_DEMO = 'false';
		expect((await prepareDatabase()).seeded).toBe(false);
	});
});
