/**
 * The tickets benchmark (part of `npm run bench`, or alone: `npx tsx bench/tickets.ts`): seeds
 * BENCH_TICKETS tickets (default 1,000,000, ~5 conversation entries each) into an embedded
 * PostgreSQL kept in BENCH_DATA_DIR (default .bench-data/tickets-<N>, reused by later runs, so
 * only the first run pays for seeding), then prints p50 / p95 / throughput for the ticket list
 * (admin and agent), a filtered list on page 2, full-text search, the ticket page, and creating
 * tickets over REST at concurrency 50 against the production server (`node scripts/start.js`,
 * which builds first when the build is not current). BENCH_REST=0 skips the REST part,
 * BENCH_DOMAIN=0 the in-process ones.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmbedded } from '../src/lib/server/db/embedded';
import { migrate } from '../src/lib/server/db/migrate';
import { measure, measureConcurrent, type Row } from './lib/measure';
import { seedTickets } from './tickets-seed';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const REQUESTERS = Number(process.env.BENCH_REQUESTERS ?? Math.max(1000, TICKETS / 50));
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const REST_TOTAL = Number(process.env.BENCH_REST_TOTAL ?? 3000);
const REST_CONCURRENCY = Number(process.env.BENCH_REST_CONCURRENCY ?? 50);
const PORT = Number(process.env.BENCH_PORT ?? 3400);

/** Targets from issue 3: p95 in ms; REST in tickets per second. */
const TARGETS = { list: 50, search: 150, page: 50, restPerSecond: 300 };

const quiet = process.env.BENCH_QUIET === '1';
const log = (msg: string) => {
	if (!quiet) console.log(`[tickets] ${msg}`);
};

/** The REST server: the production build on PORT against the bench database. */
async function startServer(url: string): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
	const dataDir = mkdtempSync(join(tmpdir(), 'itsm-bench-server-'));
	// BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=prof".
	const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const child = spawn(process.execPath, [...nodeArgs, 'scripts/start.js'], {
		env: {
			...process.env,
			DATABASE_URL: url,
			DATA_DIR: dataDir,
			PORT: String(PORT),
			HOST: '127.0.0.1',
			NODE_ENV: 'production',
			SEED_DEMO: '0',
			LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'info'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const keep = (b: Buffer) => {
		output = (output + b.toString()).slice(-4000);
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const deadline = Date.now() + 10 * 60_000; // a build takes a minute or two on 2 cores
	for (;;) {
		if (child.exitCode !== null) throw new Error(`The server exited:\n${output}`);
		try {
			const res = await fetch(`http://127.0.0.1:${PORT}/healthz`);
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGTERM');
			throw new Error(`The server did not start:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	return {
		child,
		async stop() {
			if (child.exitCode === null) child.kill('SIGTERM');
			await exited;
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** A pseudo-random but repeatable ticket number for run i. */
const numberFor = (i: number) => 1001 + ((i * 7_919 + 13) % TICKETS);

export async function runTicketsBench(): Promise<Row[]> {
	const dataDir = resolve(process.env.BENCH_DATA_DIR ?? `.bench-data/tickets-${TICKETS}`);
	log(`data folder ${dataDir}`);
	const embedded = await startEmbedded(dataDir);
	const url = embedded.url;
	process.env.DATABASE_URL = url;
	process.env.LOG_LEVEL = 'silent';
	const { db, disconnectDb } = await import('../src/lib/server/db/client');
	const { closePgPool } = await import('../src/lib/server/db/pool');
	const rows: Row[] = [];
	try {
		await migrate(url);
		const seed = await seedTickets(url, {
			tickets: TICKETS,
			requesters: REQUESTERS,
			chunk: Number(process.env.BENCH_CHUNK ?? 50_000),
			jobs: Number(process.env.BENCH_SEED_JOBS ?? 2),
			log
		});
		console.log(
			JSON.stringify({
				seededTickets: seed.meta.tickets,
				seedSeconds: seed.skipped ? `(already seeded in ${seed.meta.seconds} s)` : seed.seconds
			})
		);
		if (process.env.BENCH_SEED_ONLY === '1') return rows;

		// Tickets earlier runs created over REST: gone, so every run measures the same data.
		await db().$executeRaw`DELETE FROM "Ticket" WHERE number > ${1000 + TICKETS}`;
		await db().$executeRaw`UPDATE "Counter" SET value = ${1000 + TICKETS} WHERE name = 'ticket'`;

		if (process.env.BENCH_DOMAIN !== '0') rows.push(...(await domainScenarios()));
		if (process.env.BENCH_REST !== '0') rows.push(await restScenario(url));
		report(rows);
		return rows;
	} finally {
		await disconnectDb();
		await closePgPool();
		await embedded.stop();
	}
}

async function domainScenarios(): Promise<Row[]> {
	const { db } = await import('../src/lib/server/db/client');
	const { scopeFor } = await import('../src/lib/server/tickets/access');
	const { listTickets, countTickets } = await import('../src/lib/server/tickets/list');
	const { getTicket, ticketHistory, requesterTickets } =
		await import('../src/lib/server/tickets/queries');

	const admin = await db().user.findUniqueOrThrow({
		where: { email: 'bench-admin@bench.example' }
	});
	// agent0 belongs to Service Desk and Network (the first two agents of each group have two);
	// agent22 only to Workplace, the group printer tickets go to.
	const agent = await db().user.findUniqueOrThrow({ where: { email: 'agent0@bench.example' } });
	const workplace = await db().user.findUniqueOrThrow({
		where: { email: 'agent22@bench.example' }
	});
	const network = await db().group.findUniqueOrThrow({ where: { name: 'Network' } });
	const adminScope = await scopeFor({ id: admin.id, role: admin.role, name: admin.name });
	const agentScope = await scopeFor({ id: agent.id, role: agent.role, name: agent.name });
	const workplaceScope = await scopeFor({ id: workplace.id, role: workplace.role });
	const rows: Row[] = [];
	const add = async (name: string, fn: (i: number) => Promise<unknown>, runs = RUNS) =>
		rows.push(await measure(name, fn, runs));

	// What any query costs here before it does any work (Prisma, pg, one round trip).
	await add('baseline: SELECT 1 through Prisma', () => db().$queryRaw`SELECT 1`);
	await add('tickets list, admin, first page of 50 (newest updated)', () =>
		listTickets(adminScope, {})
	);
	await add('tickets list, agent (2 groups), first page of 50', () => listTickets(agentScope, {}));
	await add('tickets list, agent, open tickets of my groups', () =>
		listTickets(agentScope, { status: ['NEW', 'OPEN', 'PENDING', 'ON_HOLD'] })
	);
	const filters = {
		status: ['OPEN', 'PENDING'] as ('OPEN' | 'PENDING')[],
		priority: ['HIGH'] as 'HIGH'[],
		group: [network.id]
	};
	const first = await listTickets(adminScope, filters);
	if (!first.nextCursor) log('filtered list has a single page: page 2 is empty');
	await add('tickets list, open+pending, high, group Network, page 2 (keyset)', () =>
		listTickets(adminScope, { ...filters, cursor: first.nextCursor ?? undefined })
	);
	await add('tickets count for the list footer (capped at 10,000), admin', () =>
		countTickets(adminScope, {})
	);

	const terms = [
		'printer',
		'vpn disconnects',
		'outlook password',
		'pritner',
		'laptop battery',
		'certificate expired',
		'toner'
	];
	for (const q of terms) {
		await add(`search "${q}", admin`, () => listTickets(adminScope, { q }), Math.ceil(RUNS / 2));
	}
	await add(
		'search "printer", agent of Workplace (the printer group)',
		() => listTickets(workplaceScope, { q: 'printer' }),
		Math.ceil(RUNS / 2)
	);
	// Worst case: the term is frequent overall but (almost) absent from the agent's groups.
	await add(
		'search "printer", agent of Service Desk + Network',
		() => listTickets(agentScope, { q: 'printer' }),
		Math.ceil(RUNS / 4)
	);

	await add('ticket page: getTicket (ticket + conversation)', (i) =>
		getTicket(adminScope, numberFor(i))
	);
	await add('ticket page: getTicket + history + requester tickets', async (i) => {
		const t = await getTicket(adminScope, numberFor(i + 1000));
		await Promise.all([
			ticketHistory(adminScope, t.number),
			requesterTickets(adminScope, t.requester.id, t.id)
		]);
	});
	return rows;
}

async function restScenario(url: string): Promise<Row> {
	const { db } = await import('../src/lib/server/db/client');
	const { createApiKey } = await import('../src/lib/server/identity/apikeys');
	log('starting the production server (builds first if the build is not current)…');
	const server = await startServer(url);
	try {
		// One key per worker: the REST budget is 600 requests a minute per key. Earlier runs' go.
		await db().apiKey.deleteMany({ where: { name: { startsWith: 'bench ' } } });
		const agents = await db().user.findMany({
			where: { email: { startsWith: 'agent' }, role: 'AGENT' },
			orderBy: { email: 'asc' },
			take: REST_CONCURRENCY
		});
		const keys: string[] = [];
		for (let w = 0; w < REST_CONCURRENCY; w++) {
			const owner = agents[w % agents.length]!;
			keys.push((await createApiKey({ id: null }, owner.id, `bench ${w}`)).key);
		}
		const priorities = ['low', 'medium', 'medium', 'high', 'critical'];
		const groups = ['Service Desk', 'Network', 'Workplace', 'Applications'];
		let firstFailure: string | null = null;
		const create = async (i: number, worker: number) => {
			const known = i % 10 !== 0; // every tenth request names a new person (a new contact)
			const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/tickets`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${keys[worker]!}`,
					'content-type': 'application/json'
				},
				body: JSON.stringify({
					subject: `Monitoring alert ${i}: disk space low on srv${i % 60}`,
					description: `The data disk of **srv${i % 60}** has less than ${i % 20} percent free.\n\nAlert id ${i}.`,
					priority: priorities[i % priorities.length],
					requester: known
						? { email: `req${(i * 31) % REQUESTERS}@bench.example` }
						: { email: `bench-new-${Date.now()}-${i}@bench.example`, name: `New person ${i}` },
					...(i % 2 ? { group: groups[i % groups.length] } : {}),
					tags: ['monitoring']
				})
			});
			if (res.status !== 201 && !firstFailure) {
				firstFailure = `${res.status} ${(await res.text()).slice(0, 300)}`;
			} else await res.arrayBuffer();
			return res.status === 201;
		};
		// Warm-up: JIT, connection pools, prepared statements.
		await measureConcurrent('REST create warm-up', create, 100, 10);
		const row = await measureConcurrent(
			`REST POST /api/v1/tickets, concurrency ${REST_CONCURRENCY}`,
			(i, w) => create(i + 100, w),
			REST_TOTAL,
			REST_CONCURRENCY
		);
		if (firstFailure) console.log(JSON.stringify({ firstRestFailure: firstFailure }));
		return row;
	} finally {
		await server.stop();
	}
}

/** Which targets the run met. */
function report(rows: Row[]): void {
	const p95 = (r: Row) => Number.parseFloat(r.p95);
	const verdict = rows
		.filter((r) => !/^(REST|baseline)/.test(r.name) && !r.name.includes('count'))
		.map((r) => {
			const target = r.name.startsWith('search')
				? TARGETS.search
				: r.name.startsWith('ticket page')
					? TARGETS.page
					: TARGETS.list;
			return { name: r.name, p95: r.p95, target: `${target} ms`, met: p95(r) <= target };
		});
	const rest = rows.find((r) => r.name.startsWith('REST'));
	if (rest) {
		verdict.push({
			name: rest.name,
			p95: `${rest.perSecond}/s, ${String(rest.errors)} errors`,
			target: `${TARGETS.restPerSecond}/s, 0 errors`,
			met: rest.perSecond >= TARGETS.restPerSecond && rest.errors === 0
		});
	}
	console.log(JSON.stringify({ targets: verdict.filter((v) => !v.met).length ? 'missed' : 'met' }));
	for (const v of verdict.filter((x) => !x.met)) console.log(JSON.stringify({ missed: v }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	runTicketsBench().then(
		() => process.exit(0),
		(err: unknown) => {
			console.error(err);
			process.exit(1);
		}
	);
}
