import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { useOwnDatabase } from '../helpers/database';
import { makeUser } from '../helpers/factories';
import { makeTeam, makeTicket } from '../helpers/tickets';
import { forgetRuleAdmin, makeRule } from '../helpers/automation';

/**
 * Exactly once across app instances, through the real jobs: two processes (tests/helpers/
 * instance.ts), each with its own pool and pg-boss workers running the app's job definitions,
 * hammer one database with SLA checks, time-rule passes and webhook deliveries for the same
 * tickets. Every escalation, time rule and webhook must happen once.
 */
let restore: () => Promise<void>;
let url: string;
let server: Server;
const hits: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
	({ restore, url } = await useOwnDatabase());
	forgetRuleAdmin();
	server = createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			hits.push(String(req.headers['x-helpdesk-delivery']));
			// A little slow, so deliveries overlap between the instances.
			setTimeout(() => res.writeHead(200).end('ok'), 20);
		});
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
});
afterAll(async () => {
	for (const c of children) c.kill('SIGKILL');
	server.closeAllConnections();
	await new Promise((ok) => server.close(ok));
	await restore();
});

function startInstance(): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/instance.ts'], {
		env: {
			...process.env,
			DATABASE_URL: url,
			LOG_LEVEL: 'silent',
			INSTANCE_RUN_MS: '60000',
			INSTANCE_TICK_MS: '150'
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	children.push(child);
	return new Promise((ok, fail) => {
		child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok(child));
		child.on('exit', (code) => fail(new Error(`instance exited with ${code}`)));
	});
}

async function until(check: () => Promise<boolean>, ms = 60_000) {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 250));
	}
}

const N = 40;

describe('two app instances', () => {
	it(
		'fire every escalation, time rule and webhook exactly once',
		{ timeout: 120_000 },
		async () => {
			const agent = await makeUser({ role: 'AGENT' });
			const manager = await makeUser({ role: 'IT_MANAGER' });
			const team = await makeTeam([agent]);
			await db().group.update({ where: { id: team.id }, data: { managerId: manager.id } });

			// SLA: a policy for the team with one level at the breach.
			const calendar = await db().businessCalendar.create({
				data: { name: `24×7 ${randomUUID()}`, timeZone: 'UTC', alwaysOpen: true }
			});
			const target = { firstResponse: 60, resolution: 480 };
			await db().slaPolicy.create({
				data: {
					name: 'Team policy',
					calendarId: calendar.id,
					conditions: { groupIds: [team.id] },
					targets: { LOW: target, MEDIUM: target, HIGH: target, CRITICAL: target },
					escalations: {
						create: [{ metric: 'RESOLUTION', percent: 100, actions: { notify: ['groupManager'] } }]
					}
				}
			});
			const late: { id: string }[] = [];
			for (let i = 0; i < N; i++) late.push(await makeTicket(agent, { groupId: team.id }));
			// Ten hours on the clock: past the 8 h resolution target, due for a check now.
			await db().$executeRaw`
			UPDATE "Ticket" SET "slaClockAt" = now() - interval '10 hours',
				"slaNextCheckAt" = now() - interval '1 minute'
			WHERE "groupId" = ${team.id}::uuid`;

			// Time rule: close tickets Resolved for 7 days.
			const close = await makeRule({
				trigger: 'TIME',
				timeAnchor: 'statusChanged',
				timeMinutes: 7 * 24 * 60,
				conditions: {
					match: 'all',
					conditions: [{ field: 'status', op: 'in', value: ['RESOLVED'] }]
				},
				actions: [{ type: 'set', field: 'status', value: 'CLOSED' }]
			});
			const resolved: { id: string }[] = [];
			for (let i = 0; i < N; i++) resolved.push(await makeTicket(agent, { status: 'RESOLVED' }));
			await db().ticket.updateMany({
				where: { id: { in: resolved.map((t) => t.id) } },
				data: { statusChangedAt: new Date(Date.now() - 8 * 24 * 3_600_000) }
			});

			// Webhooks: one delivery per new ticket with "hook" in the subject.
			const port = (server.address() as AddressInfo).port;
			await makeRule({
				trigger: 'CREATED',
				conditions: {
					match: 'all',
					conditions: [{ field: 'subject', op: 'contains', value: 'hook' }]
				},
				actions: [{ type: 'webhook', url: `http://127.0.0.1:${port}/hook` }]
			});
			for (let i = 0; i < N; i++) await makeTicket(agent, { subject: `hook ${i}` });

			await Promise.all([startInstance(), startInstance()]);
			const fired = () => db().slaEscalationFired.count();
			const closed = () =>
				db().ticket.count({ where: { id: { in: resolved.map((t) => t.id) }, status: 'CLOSED' } });
			await until(async () => (await fired()) >= N && (await closed()) >= N && hits.length >= N);
			// Give a duplicate time to show up.
			await new Promise((r) => setTimeout(r, 2_000));
			for (const c of children) c.kill('SIGKILL');

			expect(await fired()).toBe(N);
			expect(
				await db().ticketEvent.count({
					where: { ticketId: { in: late.map((t) => t.id) }, field: 'escalation' }
				})
			).toBe(N);
			expect(await db().notification.count({ where: { userId: manager.id } })).toBe(N);

			expect(await closed()).toBe(N);
			expect(await db().automationRun.count({ where: { ruleId: close.id } })).toBe(N);
			expect(
				await db().ticketEvent.count({
					where: { ticketId: { in: resolved.map((t) => t.id) }, field: 'status' }
				})
			).toBe(N);

			expect(hits).toHaveLength(N);
			expect(new Set(hits).size).toBe(N);
			expect(
				await db().webhookDelivery.count({ where: { status: 'DELIVERED', attempts: 1 } })
			).toBe(N);
		}
	);
});
