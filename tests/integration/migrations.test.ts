import { describe, expect, it } from 'vitest';
import { diffMigrationsAgainstSchema, filterHandWritten } from '../../scripts/db-diff';

// Self-contained: diffMigrationsAgainstSchema starts its own throwaway embedded PostgreSQL in a temp
// folder (not the shared test server), applies prisma/migrations with our migrator and diffs the
// result against prisma/schema.prisma with Prisma's WebAssembly schema engine. ≈ 2–4 s.
describe('database migrations', () => {
	it('committed migrations match prisma/schema.prisma (no drift)', async () => {
		const sql = await diffMigrationsAgainstSchema();
		expect(
			sql,
			'prisma/schema.prisma and prisma/migrations disagree; add a migration with ' +
				'`npm run db:diff -- --create <name>` (SQL that is missing shown here)'
		).toBe('');
	}, 60_000);

	it('ignores only the allow-listed hand-written objects', () => {
		const script = [
			'-- DropIndex\nDROP INDEX "User_name_trgm_idx";',
			'-- DropIndex\nDROP INDEX "public"."User_email_trgm_idx";',
			'-- DropExtension\nDROP EXTENSION "pg_trgm";',
			'-- DropIndex\nDROP INDEX "User_name_idx";',
			'-- CreateTable\nCREATE TABLE "T" (\n    "id" TEXT NOT NULL,\n\n    CONSTRAINT "T_pkey" PRIMARY KEY ("id")\n);'
		].join('\n\n');
		expect(filterHandWritten(script)).toBe(
			'-- DropIndex\nDROP INDEX "User_name_idx";\n\n' +
				'-- CreateTable\nCREATE TABLE "T" (\n    "id" TEXT NOT NULL,\n\n    CONSTRAINT "T_pkey" PRIMARY KEY ("id")\n);\n'
		);
		expect(filterHandWritten('-- This is an empty migration.')).toBe('');
	});
});
