/**
 * `npm run bench`: figures for the hot paths of the foundation at a realistic size, on a fresh
 * embedded PostgreSQL (or BENCH_DATABASE_URL). Seeds BENCH_USERS users (default 100,000), then
 * reports p50 / p95 and throughput for: resolving a session (runs on every request), the users
 * list (default page, deep page, search by name, search by email), and an API key lookup.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbedded, type EmbeddedDatabase } from '../src/lib/server/db/embedded';
import { migrate } from '../src/lib/server/db/migrate';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(name: string, fn: (i: number) => Promise<unknown>, runs = RUNS) {
	for (let i = 0; i < 20; i++) await fn(i); // warm-up
	const times: number[] = [];
	const started = performance.now();
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await fn(i);
		times.push(performance.now() - t);
	}
	const total = (performance.now() - started) / 1000;
	times.sort((a, b) => a - b);
	const row = {
		name,
		p50: percentile(times, 50).toFixed(2) + ' ms',
		p95: percentile(times, 95).toFixed(2) + ' ms',
		perSecond: Math.round(runs / total)
	};
	console.log(JSON.stringify(row));
	return row;
}

async function main() {
	let embedded: EmbeddedDatabase | undefined;
	let dir: string | undefined;
	let url = process.env.BENCH_DATABASE_URL;
	if (!url) {
		dir = mkdtempSync(join(tmpdir(), 'itsm-bench-'));
		chmodSync(dir, 0o755);
		embedded = await startEmbedded(dir);
		url = embedded.url;
	}
	process.env.DATABASE_URL = url;
	process.env.LOG_LEVEL = 'silent';
	await migrate(url);
	const { db, disconnectDb } = await import('../src/lib/server/db/client');
	const { closePgPool } = await import('../src/lib/server/db/pool');
	const { issueSession, resolveSession } = await import('../src/lib/server/identity/sessions');
	const { listUsers } = await import('../src/lib/server/identity/users');
	const { createApiKey, resolveApiKey } = await import('../src/lib/server/identity/apikeys');

	const t0 = performance.now();
	const roles = ['END_USER', 'END_USER', 'END_USER', 'END_USER', 'AGENT', 'IT_MANAGER'] as const;
	const first = [
		'Anna',
		'Ben',
		'Chloe',
		'David',
		'Emma',
		'Felix',
		'Grace',
		'Hugo',
		'Ines',
		'Jonas'
	];
	const last = ['Becker', 'Schmidt', 'Okafor', 'Rossi', 'Nguyen', 'Tanaka', 'Dubois', 'Haddad'];
	for (let start = 0; start < USERS; start += 5000) {
		const batch = Array.from({ length: Math.min(5000, USERS - start) }, (_, k) => {
			const i = start + k;
			const name = `${first[i % first.length]} ${last[(i >> 3) % last.length]} ${i}`;
			return {
				email: `user${i}@bench.example`,
				name,
				role: roles[i % roles.length]!,
				department: ['Finance', 'Sales', 'Engineering', 'Legal', 'IT'][i % 5]
			};
		});
		await db().user.createMany({ data: batch, skipDuplicates: true });
	}
	await db().$executeRawUnsafe('ANALYZE "User"');
	console.log(
		JSON.stringify({ seeded: USERS, seconds: ((performance.now() - t0) / 1000).toFixed(1) })
	);

	const someone = await db().user.findFirstOrThrow({ where: { role: 'AGENT' } });
	const session = await issueSession(someone.id);
	const { key } = await createApiKey({ id: null }, someone.id, 'bench');

	await measure('session resolve (every request)', () => resolveSession(session.token));
	await measure('API key resolve (every REST call)', () => resolveApiKey(key));
	await measure('users list, first page of 25', () => listUsers({}));
	await measure('users list, page 2,000', () => listUsers({ page: 2000 }));
	await measure('users list, search "schmidt 12"', (i) =>
		listUsers({ search: `schmidt ${12 + (i % 50)}` })
	);
	await measure('users list, search by email', (i) =>
		listUsers({ search: `user${(i * 7919) % USERS}@` })
	);
	await measure('users list, staff only', () => listUsers({ staff: true, active: true }));

	await disconnectDb();
	await closePgPool();
	await embedded?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
}

/** BENCH_ONLY=users | tickets | sla | automation | mail runs one suite (bench/tickets.ts, bench/sla.ts, bench/automation.ts, bench/mail.ts). */
async function all() {
	if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'users') await main();
	if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'tickets')
		await (await import('./tickets')).runTicketsBench();
	if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'sla')
		await (await import('./sla')).runSlaBench();
	if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'automation')
		await (await import('./automation')).runAutomationBench();
	if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'mail')
		await (await import('./mail')).runMailBench();
}

all().then(
	() => process.exit(0),
	(err: unknown) => {
		console.error(err);
		process.exit(1);
	}
);
