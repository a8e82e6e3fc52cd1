/**
 * The automation benchmark (`BENCH_ONLY=automation npm run bench`, or `npx tsx bench/automation.ts`).
 * Uses the SLA benchmark's database (.bench-data/sla-<N>: 1,000,000 open tickets; seeded by
 * bench/sla.ts when missing). Measures:
 * - a time-rule pass with the demo's three time rules when nothing is due (the minute-by-minute
 *   cost), and with BENCH_AUTOMATION_DUE tickets due for "close after 7 days resolved";
 * - creating a ticket (the domain call) with no event rules, and with six active created-rules
 *   (five that do not match, one that tags and raises the priority).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmbedded } from '../src/lib/server/db/embedded';
import { migrate } from '../src/lib/server/db/migrate';
import { measure, percentile, type Row } from './lib/measure';

const TICKETS = Number(process.env.BENCH_SLA_TICKETS ?? 1_000_000);
const DUE = Number(process.env.BENCH_AUTOMATION_DUE ?? 500);
const PASSES = 5;
const log = (msg: string) => console.log(`[automation] ${msg}`);

export async function runAutomationBench(): Promise<Row[]> {
	const dir = resolve(process.env.BENCH_SLA_DATA_DIR ?? `.bench-data/sla-${TICKETS}`);
	mkdirSync(dir, { recursive: true });
	if (!(await import('node:fs')).existsSync(resolve(dir, 'seeded.json'))) {
		log('no SLA bench data yet: seeding it first (bench/sla.ts)');
		await (await import('./sla')).runSlaBench();
	}
	const embedded = await startEmbedded(dir);
	process.env.DATABASE_URL = embedded.url;
	const { db, disconnectDb } = await import('../src/lib/server/db/client');
	const { closePgPool } = await import('../src/lib/server/db/pool');
	const { runTimeRules } = await import('../src/lib/server/automation/time');
	const { createTicket } = await import('../src/lib/server/tickets/create');
	const rows: Row[] = [];
	try {
		await migrate(embedded.url);
		await db().automationRule.deleteMany({ where: { name: { startsWith: 'bench ' } } });
		const rule = (name: string, data: object) =>
			db().automationRule.create({
				data: { name: `bench ${name}`, secret: 'x', position: 0, ...data } as never
			});
		const status = (s: string) => ({
			match: 'all',
			conditions: [{ field: 'status', op: 'in', value: [s] }]
		});
		const close = await rule('close resolved', {
			trigger: 'TIME',
			timeAnchor: 'statusChanged',
			timeMinutes: 7 * 24 * 60,
			conditions: status('RESOLVED'),
			actions: [{ type: 'set', field: 'status', value: 'CLOSED' }]
		});
		await rule('remind pending', {
			trigger: 'TIME',
			timeAnchor: 'statusChanged',
			timeMinutes: 3 * 24 * 60,
			conditions: status('PENDING'),
			actions: [{ type: 'reply', body: 'Still waiting on #{{ticket.number}}', internal: false }]
		});
		// Unassigned NEW tickets (the bench's tickets are OPEN and stay untouched).
		await rule('unassigned', {
			trigger: 'TIME',
			timeAnchor: 'created',
			timeMinutes: 30,
			conditions: {
				match: 'all',
				conditions: [
					{ field: 'status', op: 'in', value: ['NEW'] },
					{ field: 'assignee', op: 'isEmpty' }
				]
			},
			actions: [{ type: 'addTags', tags: ['unassigned-30m'] }]
		});

		const passes = async (name: string, prepare: () => Promise<void>) => {
			const times: number[] = [];
			let acted = 0;
			for (let i = 0; i < PASSES; i++) {
				await prepare();
				const t = performance.now();
				acted = (await runTimeRules()).acted;
				times.push(performance.now() - t);
			}
			times.sort((a, b) => a - b);
			const row: Row = {
				name,
				p50: percentile(times, 50).toFixed(1) + ' ms',
				p95: percentile(times, 95).toFixed(1) + ' ms',
				perSecond: Math.round((1000 * acted) / Math.max(percentile(times, 50), 0.001)),
				actedPerPass: acted
			};
			console.log(JSON.stringify(row));
			rows.push(row);
		};
		// DUE tickets resolved 8 days ago (not yet looked at by the rule); the rest stay open.
		const makeDue = async () => {
			await db().$executeRaw`DELETE FROM "AutomationTimeCheck" WHERE "ruleId" = ${close.id}::uuid`;
			await db().$executeRaw`DELETE FROM "AutomationRun" WHERE "ruleId" = ${close.id}::uuid`;
			await db().$executeRaw`
				UPDATE "Ticket" SET status = 'RESOLVED', "resolvedAt" = now() - interval '8 days',
					"closedAt" = NULL
				WHERE id IN (SELECT id FROM "Ticket" WHERE number > 0 ORDER BY number LIMIT ${DUE})`;
			await db().$executeRaw`
				UPDATE "Ticket" SET "statusChangedAt" = now() - interval '8 days'
				WHERE id IN (SELECT id FROM "Ticket" WHERE number > 0 ORDER BY number LIMIT ${DUE})`;
		};
		await runTimeRules(); // warm-up
		await passes(
			`time rules pass (3 rules, ${TICKETS.toLocaleString('en')} open), nothing due`,
			async () => {}
		);
		await passes(`time rules pass, ${DUE} tickets due to close`, makeDue);
		// Put the bench tickets back to open for the next run.
		await db().$executeRaw`
			UPDATE "Ticket" SET status = 'OPEN', "resolvedAt" = NULL, "closedAt" = NULL
			WHERE id IN (SELECT id FROM "Ticket" WHERE number > 0 ORDER BY number LIMIT ${DUE})`;
		await db().automationRule.updateMany({
			where: { name: { startsWith: 'bench ' } },
			data: { active: false }
		});

		const requester = await db().user.findFirstOrThrow({ where: { role: 'REQUESTER' } });
		const agent = await db().user.upsert({
			where: { email: 'automation-bench@bench.example' },
			create: { email: 'automation-bench@bench.example', name: 'Bench Agent', role: 'AGENT' },
			update: {}
		});
		const create = (i: number) =>
			createTicket(
				{ viewer: { id: agent.id, role: 'AGENT', name: agent.name } },
				{
					subject: `Printer ${i} jams`,
					description: 'Paper jam on floor 2.',
					requesterId: requester.id
				},
				{ source: 'AGENT' }
			);
		rows.push(await measure('create ticket, no event rules', create, 300));
		for (let i = 0; i < 5; i++) {
			await rule(`no match ${i}`, {
				trigger: 'CREATED',
				position: i,
				conditions: {
					match: 'all',
					conditions: [{ field: 'subject', op: 'contains', value: `never-${i}` }]
				},
				actions: [{ type: 'addTags', tags: ['x'] }]
			});
		}
		await rule('printer', {
			trigger: 'CREATED',
			position: 6,
			conditions: {
				match: 'all',
				conditions: [{ field: 'subject', op: 'contains', value: 'printer' }]
			},
			actions: [
				{ type: 'addTags', tags: ['printer'] },
				{ type: 'set', field: 'priority', value: 'HIGH' }
			]
		});
		rows.push(await measure('create ticket, 6 created-rules (1 matches)', create, 300));
		await db().automationRule.deleteMany({ where: { name: { startsWith: 'bench ' } } });
		return rows;
	} finally {
		await disconnectDb();
		await closePgPool();
		await embedded.stop();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	runAutomationBench().catch((err: unknown) => {
		console.error(err);
		process.exit(1);
	});
}
