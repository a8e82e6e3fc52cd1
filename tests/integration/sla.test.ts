import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { runSlaCheck } from '../../src/lib/server/sla/checker';
import { applySla } from '../../src/lib/server/sla/apply';
import { addEntry } from '../../src/lib/server/tickets/entries';
import { restGetTicket } from '../../src/lib/server/tickets/rest';
import { getTicket } from '../../src/lib/server/tickets/queries';
import { slaPausedLeft } from '../../src/lib/sla';
import { listTickets } from '../../src/lib/server/tickets/list';
import { slaSummary } from '../../src/lib/server/sla/summary';
import { updateTicket } from '../../src/lib/server/tickets/update';
import { makeUser } from '../helpers/factories';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';

/**
 * SLA clocks on real tickets. Each test's policy applies only to its own group, so tickets of
 * other test files (running in parallel on the same database) never get a clock.
 */
const MIN = 60_000;

async function setup(escalations: object[] = []) {
	const agent = await makeUser({ role: 'AGENT' });
	const manager = await makeUser({ role: 'IT_MANAGER' });
	const group = await makeTeam([agent]);
	await db().group.update({ where: { id: group.id }, data: { managerId: manager.id } });
	const calendar = await db().businessCalendar.create({
		data: { name: `24×7 ${randomUUID()}`, timeZone: 'UTC', alwaysOpen: true }
	});
	const policy = await db().slaPolicy.create({
		data: {
			name: `Policy ${randomUUID()}`,
			calendarId: calendar.id,
			conditions: { groupIds: [group.id] },
			targets: {
				CRITICAL: { firstResponse: 15, resolution: 240 },
				HIGH: { firstResponse: 60, resolution: 480 },
				MEDIUM: { firstResponse: 240, resolution: 1440 },
				LOW: { firstResponse: 480, resolution: 4320 }
			},
			escalations: { create: escalations as never }
		},
		include: { escalations: true }
	});
	return { agent, manager, group, policy };
}

const slaOf = (id: string) =>
	db().ticket.findUniqueOrThrow({
		where: { id },
		select: {
			slaPolicyId: true,
			firstResponseDueAt: true,
			resolutionDueAt: true,
			slaPausedAt: true,
			slaNextCheckAt: true,
			priority: true,
			createdAt: true,
			events: { where: { field: { in: ['sla', 'escalation'] } }, orderBy: { id: 'asc' } }
		}
	});

describe('SLA on tickets', () => {
	it('a matching policy sets due dates at creation; other tickets get none', async () => {
		const { agent, group, policy } = await setup();
		const t = await makeTicket(agent, { groupId: group.id, priority: 'HIGH' });
		const s = await slaOf(t.id);
		expect(s.slaPolicyId).toBe(policy.id);
		expect(s.resolutionDueAt!.getTime() - s.createdAt.getTime()).toBeCloseTo(480 * MIN, -4);
		expect(s.events.map((e) => e.toValue)).toEqual([
			expect.stringContaining(`policy ${policy.name} — ticket created`)
		]);
		const other = await makeTicket(agent);
		expect((await slaOf(other.id)).slaPolicyId).toBeNull();

		// The REST ticket JSON carries it, ISO-8601 UTC, state in lower case.
		const scope = await scopeOf(agent);
		const rest = await restGetTicket(scope, String(t.number), 'http://x');
		expect(rest.sla).toEqual({
			policy: { id: policy.id, name: policy.name },
			firstResponseDueAt: s.firstResponseDueAt!.toISOString(),
			resolutionDueAt: s.resolutionDueAt!.toISOString(),
			state: 'on_track'
		});
		expect((await restGetTicket(scope, String(other.number), 'http://x')).sla).toBeNull();
	});

	it("a policy can apply by the requester's department", async () => {
		const { agent, policy: base } = await setup();
		const department = `Dept ${randomUUID().slice(0, 8)}`;
		const policy = await db().slaPolicy.create({
			data: {
				name: `Dept policy ${randomUUID()}`,
				calendarId: base.calendarId,
				conditions: { departments: [department] },
				targets: base.targets as object
			}
		});
		const requester = await makeUser({ role: 'END_USER' });
		await db().user.update({ where: { id: requester.id }, data: { department } });
		const t = await makeTicket(agent, { requesterId: requester.id });
		expect((await slaOf(t.id)).slaPolicyId).toBe(policy.id);
		const other = await makeTicket(agent, { requesterId: agent.id });
		expect((await slaOf(other.id)).slaPolicyId).toBeNull();
	});

	it('priority and status changes recompute and pause, and the history says why', async () => {
		const { agent, group } = await setup();
		const t = await makeTicket(agent, { groupId: group.id, priority: 'LOW' });
		const scope = await scopeOf(agent);
		await updateTicket(scope, { ticket: t.id, priority: 'CRITICAL' });
		const raised = await slaOf(t.id);
		expect(raised.resolutionDueAt!.getTime() - raised.createdAt.getTime()).toBeLessThan(241 * MIN);
		expect(raised.events.at(-1)!.toValue).toContain('priority LOW → CRITICAL');

		const stamp = await db().ticket.findUniqueOrThrow({
			where: { id: t.id },
			select: { updatedAt: true }
		});
		// Recomputing alone (nothing changed) leaves "updated" alone.
		await db().$transaction((tx) => applySla(tx, t.id, 'test', new Date(Date.now() + 60_000)));
		expect(
			(await db().ticket.findUniqueOrThrow({ where: { id: t.id }, select: { updatedAt: true } }))
				.updatedAt
		).toEqual(stamp.updatedAt);

		await updateTicket(scope, { ticket: t.id, status: 'PENDING' });
		const paused = await slaOf(t.id);
		expect(paused.slaPausedAt).not.toBeNull();
		expect(paused.slaNextCheckAt).toBeNull();
		expect(paused.events.at(-1)!.toValue).toContain('clock paused (pending)');

		await updateTicket(scope, { ticket: t.id, status: 'OPEN' });
		const resumed = await slaOf(t.id);
		expect(resumed.slaPausedAt).toBeNull();
		expect(resumed.events.at(-1)!.toValue).toContain('clock resumed');
	});

	it('a paused ticket carries the business time left on each target to its page', async () => {
		const { agent, group, policy } = await setup();
		const t = await makeTicket(agent, { groupId: group.id, priority: 'HIGH' });
		const scope = await scopeOf(agent);
		// 20 minutes of the (24×7) clock ran before the agent set Pending.
		await db().ticket.update({
			where: { id: t.id },
			data: {
				slaClockAt: new Date(Date.now() - 20 * MIN),
				firstResponseElapsedMin: 0,
				resolutionElapsedMin: 0
			}
		});
		const row = await updateTicket(scope, { ticket: t.id, status: 'PENDING' });
		const page = await getTicket(scope, t.number);
		for (const answer of [row, page]) {
			const left = slaPausedLeft(answer);
			expect(left.firstResponse?.text).toBe('Paused · 40 min left');
			expect(left.resolution?.text).toBe('Paused · 7 h 40 min left');
		}

		// A tighter priority while paused: the first response is now 5 minutes over.
		const critical = await updateTicket(scope, { ticket: t.id, priority: 'CRITICAL' });
		expect(slaPausedLeft(critical).firstResponse?.text).toBe('Paused · breached by 5 min');

		// REST keeps its documented shape: the policy's targets stay out of it.
		const rest = await restGetTicket(scope, String(t.number), 'http://x');
		expect(Object.keys(rest.sla!).sort()).toEqual(
			['firstResponseDueAt', 'policy', 'resolutionDueAt', 'state'].sort()
		);
		expect(rest.sla!.policy).toEqual({ id: policy.id, name: policy.name });
	});

	it('a conflict still names the colleague, not the SLA row their change caused', async () => {
		const { agent, group } = await setup();
		const colleague = await makeUser({ role: 'AGENT', name: 'Casey Colleague' });
		await db().groupMember.create({ data: { groupId: group.id, userId: colleague.id } });
		const t = await makeTicket(agent, { groupId: group.id });
		await updateTicket(await scopeOf(colleague), {
			ticket: t.id,
			version: t.version,
			status: 'PENDING'
		});
		await expect(
			updateTicket(await scopeOf(agent), { ticket: t.id, version: t.version, priority: 'LOW' })
		).rejects.toThrow('changed by Casey Colleague just now');
	});

	it("an agent's first reply records the first response", async () => {
		const { agent, group } = await setup();
		const requester = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { groupId: group.id, requesterId: requester.id });
		await addEntry({ scope: await scopeOf(agent) }, { ticket: t.id, body: 'On it.' });
		const row = await db().ticket.findUniqueOrThrow({
			where: { id: t.id },
			select: { firstResponseAt: true, firstResponseDueAt: true }
		});
		expect(row.firstResponseAt!.getTime()).toBeLessThan(row.firstResponseDueAt!.getTime());
	});

	it('the checker fires each escalation level once, even with two passes at once', async () => {
		const member = await makeUser({ role: 'AGENT' });
		const tier2 = await makeTeam([member]);
		const { agent, manager, group } = await setup([
			{ metric: 'RESOLUTION', percent: 50, actions: { notify: ['assignee'] }, position: 0 },
			{
				metric: 'RESOLUTION',
				percent: 100,
				actions: { notify: ['groupManager'], raisePriority: true },
				position: 1
			},
			{
				metric: 'RESOLUTION',
				afterBreachMinutes: 30,
				actions: { assignGroupId: tier2.id, notify: ['group'] },
				position: 2
			}
		]);
		const t = await makeTicket(agent, {
			groupId: group.id,
			assigneeId: agent.id,
			priority: 'HIGH'
		});
		const created = (await slaOf(t.id)).createdAt;
		// Nine hours later: past 50% and past the 8 h resolution target.
		const later = new Date(created.getTime() + 9 * 60 * MIN);
		const [a, b] = await Promise.all([runSlaCheck(later), runSlaCheck(later)]);
		expect(a.fired + b.fired).toBe(3);
		const again = await runSlaCheck(later);
		expect(again.fired).toBe(0);

		const s = await slaOf(t.id);
		expect(s.priority).toBe('CRITICAL');
		const escalations = s.events.filter((e) => e.field === 'escalation').map((e) => e.toValue);
		expect(escalations).toHaveLength(3);
		expect(escalations[1]).toContain('priority HIGH → CRITICAL');
		expect(escalations[2]).toContain('reassigned');
		const moved = await db().ticket.findUniqueOrThrow({
			where: { id: t.id },
			select: { groupId: true, assigneeId: true }
		});
		expect(moved).toEqual({ groupId: tier2.id, assigneeId: null });
		const notes = await db().notification.findMany({
			where: { userId: { in: [agent.id, manager.id] }, type: 'sla.escalation' }
		});
		expect(notes.map((n) => n.userId).sort()).toEqual([agent.id, manager.id].sort());
		expect(await db().slaEscalationFired.count({ where: { ticketId: t.id } })).toBe(3);
		// "group": the group the ticket is in when the level fires (tier 2 after the move).
		expect(
			await db().notification.count({ where: { userId: member.id, type: 'sla.escalation' } })
		).toBe(1);
	});

	it('the list filters by SLA state like slaState decides it', async () => {
		const { agent, group } = await setup();
		const tag = `sla${randomUUID().slice(0, 8)}`;
		const fresh = await makeTicket(agent, { groupId: group.id, tags: [tag] });
		const late = await makeTicket(agent, { groupId: group.id, tags: [tag] });
		const waiting = await makeTicket(agent, { groupId: group.id, tags: [tag] });
		const hour = 60 * MIN;
		await db().ticket.update({
			where: { id: late.id },
			data: { firstResponseDueAt: new Date(Date.now() - hour) }
		});
		const risky = await makeTicket(agent, { groupId: group.id, tags: [tag] });
		await db().ticket.update({
			where: { id: risky.id },
			data: { slaAtRiskAt: new Date(Date.now() - MIN) }
		});
		const scope = await scopeOf(agent);
		await updateTicket(scope, { ticket: waiting.id, status: 'ON_HOLD' });
		const ids = async (sla: ('on_track' | 'at_risk' | 'breached' | 'paused' | 'met')[]) =>
			(await listTickets(scope, { tags: [tag], sla })).items.map((t) => t.id).sort();
		expect(await ids(['on_track'])).toEqual([fresh.id]);
		expect(await ids(['breached'])).toEqual([late.id]);
		expect(await ids(['at_risk'])).toEqual([risky.id]);
		expect(await ids(['paused'])).toEqual([waiting.id]);
		expect(await ids(['breached', 'paused'])).toEqual([late.id, waiting.id].sort());
		const row = (await listTickets(scope, { tags: [tag], sla: ['breached'] })).items[0]!;
		expect(slaSummary(row)?.state).toBe('breached');
	});

	it('finds due tickets through the index on slaNextCheckAt', async () => {
		const plan = await db().$transaction(async (tx) => {
			await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
			return tx.$queryRaw<{ 'QUERY PLAN': string }[]>`
				EXPLAIN SELECT id FROM "Ticket" WHERE "slaNextCheckAt" <= now()
				ORDER BY "slaNextCheckAt" LIMIT 200`;
		});
		expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('Ticket_slaNextCheckAt_idx');
	});
});
