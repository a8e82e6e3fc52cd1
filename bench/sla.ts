/**
 * The SLA checker benchmark (part of `npm run bench`, or alone: `npx tsx bench/sla.ts`): seeds
 * BENCH_SLA_TICKETS open tickets (default 1,000,000) under one policy, their checks spread over
 * the next 30 days, into an embedded PostgreSQL kept in .bench-data/sla-<N> (seeded once). Then
 * measures a checker pass with nothing due (the index probe every minute costs), and passes with
 * BENCH_SLA_DUE tickets due (default 250: a minute's worth at this size), each of which
 * recomputes its clock and fires a due escalation level. Target (issue 4): one pass ≤ 1 s.
 */
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmbedded } from '../src/lib/server/db/embedded';
import { migrate } from '../src/lib/server/db/migrate';
import type { db as dbOf } from '../src/lib/server/db/client';
import { percentile, type Row } from './lib/measure';

const TICKETS = Number(process.env.BENCH_SLA_TICKETS ?? 1_000_000);
const DUE = Number(process.env.BENCH_SLA_DUE ?? 250);
const PASSES = Number(process.env.BENCH_SLA_PASSES ?? 5);
const TARGET_MS = 1000;

const log = (msg: string) => console.log(`[sla] ${msg}`);

export async function runSlaBench(): Promise<Row[]> {
	const dir = resolve(process.env.BENCH_SLA_DATA_DIR ?? `.bench-data/sla-${TICKETS}`);
	mkdirSync(dir, { recursive: true });
	log(`data folder ${dir}`);
	const embedded = await startEmbedded(dir);
	process.env.DATABASE_URL = embedded.url;
	const { db, disconnectDb } = await import('../src/lib/server/db/client');
	const { closePgPool } = await import('../src/lib/server/db/pool');
	const { runSlaCheck } = await import('../src/lib/server/sla/checker');
	try {
		await migrate(embedded.url);
		const marker = join(dir, 'seeded.json');
		if (!existsSync(marker)) {
			const t0 = Date.now();
			await seed(db());
			writeFileSync(
				marker,
				JSON.stringify({ tickets: TICKETS, seconds: (Date.now() - t0) / 1000 })
			);
		}
		const meta = JSON.parse(readFileSync(marker, 'utf8')) as { seconds: number };
		log(`${TICKETS.toLocaleString('en')} open tickets (seeded in ${Math.round(meta.seconds)} s)`);
		const policy = await db().slaPolicy.findFirstOrThrow({ where: { name: 'bench policy' } });
		const level = await db().slaEscalation.findFirstOrThrow({ where: { policyId: policy.id } });

		const rows: Row[] = [];
		const time = async (name: string, prepare: () => Promise<void>, expectDue: number) => {
			const times: number[] = [];
			let checked = 0;
			for (let i = 0; i < PASSES; i++) {
				await prepare();
				const t = performance.now();
				const r = await runSlaCheck(new Date());
				times.push(performance.now() - t);
				checked = r.checked;
			}
			times.sort((a, b) => a - b);
			const row: Row = {
				name,
				p50: percentile(times, 50).toFixed(1) + ' ms',
				p95: percentile(times, 95).toFixed(1) + ' ms',
				perSecond: Math.round((1000 * checked) / Math.max(percentile(times, 50), 0.001)),
				checkedPerPass: checked,
				expected: expectDue
			};
			console.log(JSON.stringify(row));
			rows.push(row);
		};

		// Make DUE tickets due now (their escalation level not yet fired); everything else later.
		const makeDue = async () => {
			await db()
				.$executeRaw`DELETE FROM "SlaEscalationFired" WHERE "escalationId" = ${level.id}::uuid`;
			await db().$executeRaw`
				UPDATE "Ticket" SET "slaNextCheckAt" = now() - interval '1 second',
					"slaClockAt" = now() - interval '300 minutes', "resolutionElapsedMin" = 800,
					"firstResponseElapsedMin" = 0, priority = 'MEDIUM'
				WHERE id IN (SELECT id FROM "Ticket" WHERE number > 0 ORDER BY number LIMIT ${DUE})`;
		};
		await runSlaCheck(new Date()); // warm-up: connections, JIT, the policy cache of the pass
		await time('SLA checker pass, nothing due', async () => {}, 0);
		await time(`SLA checker pass, ${DUE} tickets due (escalation fires)`, makeDue, DUE);
		const worst = rows.reduce((m, r) => Math.max(m, parseFloat(r.p95)), 0);
		console.log(
			JSON.stringify({
				targets: worst <= TARGET_MS ? 'met' : 'missed',
				slaPassP95: `${worst.toFixed(0)} ms`,
				target: `${TARGET_MS} ms`
			})
		);
		return rows;
	} finally {
		await disconnectDb();
		await closePgPool();
		await embedded.stop();
	}
}

async function seed(prisma: ReturnType<typeof dbOf>) {
	log(`seeding ${TICKETS.toLocaleString('en')} open tickets…`);
	const calendar = await prisma.businessCalendar.create({
		data: { name: 'bench 24×7', timeZone: 'UTC', alwaysOpen: true }
	});
	await prisma.slaPolicy.create({
		data: {
			name: 'bench policy',
			isDefault: true,
			calendarId: calendar.id,
			targets: {
				CRITICAL: { firstResponse: 15, resolution: 240 },
				HIGH: { firstResponse: 60, resolution: 480 },
				MEDIUM: { firstResponse: 240, resolution: 1440 },
				LOW: { firstResponse: 480, resolution: 4320 }
			},
			escalations: {
				create: [{ metric: 'RESOLUTION', percent: 50, actions: { raisePriority: true } }]
			}
		}
	});
	const requester = await prisma.user.create({
		data: { email: 'sla-bench@bench.example', name: 'Bench Requester', role: 'REQUESTER' }
	});
	// Plain inserts in chunks; the search trigger runs for each row, as for real tickets.
	const chunk = 100_000;
	for (let from = 1; from <= TICKETS; from += chunk) {
		const to = Math.min(TICKETS, from + chunk - 1);
		await prisma.$executeRaw`
			INSERT INTO "Ticket" (id, number, subject, description, "descriptionHtml", status, priority,
				source, "requesterId", "accessToken", "updatedAt", "createdAt", "slaPolicyId",
				"firstResponseDueAt", "resolutionDueAt", "slaAtRiskAt", "slaClockAt",
				"firstResponseElapsedMin", "resolutionElapsedMin", "slaNextCheckAt")
			SELECT gen_random_uuid(), g, 'Disk space low on srv' || (g % 500), 'Alert ' || g,
				'<p>Alert ' || g || '</p>', 'OPEN', 'MEDIUM', 'API', ${requester.id}::uuid,
				md5(random()::text || g), now(), now(), p.id,
				now() + (g % 43200) * interval '1 minute', now() + (g % 43200) * interval '1 minute',
				now() + (g % 43200) * interval '1 minute', now(), 0, 0,
				now() + interval '1 minute' + (g % 43200) * interval '1 minute'
			FROM generate_series(${from}::int, ${to}::int) g, "SlaPolicy" p WHERE p.name = 'bench policy'`;
		log(`${to.toLocaleString('en')} / ${TICKETS.toLocaleString('en')}`);
	}
	await prisma.$executeRaw`UPDATE "Counter" SET value = ${TICKETS} WHERE name = 'ticket'`;
	await prisma.$executeRawUnsafe('VACUUM ANALYZE "Ticket"');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	runSlaBench().catch((err: unknown) => {
		console.error(err);
		process.exit(1);
	});
}
