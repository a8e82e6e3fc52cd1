import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { runTimeRules } from '../../src/lib/server/automation/time';
import { updateTicket } from '../../src/lib/server/tickets/update';
import { useOwnDatabase } from '../helpers/database';
import { makeUser } from '../helpers/factories';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';
import { clearRules, forgetRuleAdmin, historyOf, makeRule, runsOf } from '../helpers/automation';

let restore: () => Promise<void>;
beforeAll(async () => {
	({ restore } = await useOwnDatabase());
	forgetRuleAdmin();
});
afterAll(() => restore());
beforeEach(async () => {
	await clearRules();
	// Tickets of earlier tests must not be due for this test's rules.
	await db().ticket.updateMany({ data: { status: 'CLOSED' } });
});

const DAY = 24 * 60 * 60_000;
const MIN = 60_000;

/** Moves a ticket's clocks into the past (status period, creation). */
async function age(
	id: string,
	ms: number,
	what: 'statusChangedAt' | 'createdAt' = 'statusChangedAt'
) {
	const at = new Date(Date.now() - ms);
	await db().$executeRawUnsafe(`UPDATE "Ticket" SET "${what}" = $1 WHERE id = $2::uuid`, at, id);
}

const closeResolved = () =>
	makeRule({
		name: 'Close tickets resolved for 7 days',
		trigger: 'TIME',
		timeAnchor: 'statusChanged',
		timeMinutes: 7 * 24 * 60,
		conditions: { match: 'all', conditions: [{ field: 'status', op: 'in', value: ['RESOLVED'] }] },
		actions: [{ type: 'set', field: 'status', value: 'CLOSED' }]
	});

describe('time rules', () => {
	it('close tickets Resolved for 7 days, once, with the rule in the history', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const rule = await closeResolved();
		const old = await makeTicket(agent, { status: 'RESOLVED' });
		const recent = await makeTicket(agent, { status: 'RESOLVED' });
		const open = await makeTicket(agent);
		await age(old.id, 8 * DAY);
		await age(recent.id, 6 * DAY);
		await age(open.id, 30 * DAY);

		const pass = await runTimeRules();
		expect(pass).toMatchObject({ rules: 1, acted: 1 });
		const statuses = await db().ticket.findMany({
			where: { id: { in: [old.id, recent.id, open.id] } },
			select: { id: true, status: true, closedAt: true }
		});
		const byId = new Map(statuses.map((s) => [s.id, s]));
		expect(byId.get(old.id)!.status).toBe('CLOSED');
		expect(byId.get(old.id)!.closedAt).not.toBeNull();
		expect(byId.get(recent.id)!.status).toBe('RESOLVED');
		expect(byId.get(open.id)!.status).toBe('NEW');
		expect(await historyOf(old.id)).toEqual([
			expect.objectContaining({
				field: 'status',
				fromValue: 'RESOLVED',
				toValue: 'CLOSED',
				via: 'rule: Close tickets resolved for 7 days'
			})
		]);
		// An agent saving over the rule's change is told who changed the ticket.
		await expect(
			updateTicket(await scopeOf(agent), { ticket: old.id, version: old.version, priority: 'LOW' })
		).rejects.toThrow(
			/changed by the automation rule "Close tickets resolved for 7 days" just now/
		);
		// A second pass finds nothing new to do.
		expect((await runTimeRules()).acted).toBe(0);
		expect(await runsOf(rule.id)).toHaveLength(1);
	});

	it('remind after 3 days Pending: once per Pending period, again after a new one', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const rule = await makeRule({
			trigger: 'TIME',
			timeAnchor: 'statusChanged',
			timeMinutes: 3 * 24 * 60,
			conditions: { match: 'all', conditions: [{ field: 'status', op: 'in', value: ['PENDING'] }] },
			actions: [
				{
					type: 'reply',
					body: 'Hi {{requester.firstName}}, we are still waiting for your answer on #{{ticket.number}}.'
				}
			]
		});
		const t = await makeTicket(agent, { status: 'PENDING' });
		await age(t.id, 4 * DAY);
		await runTimeRules();
		await runTimeRules();
		expect(await db().ticketEntry.count({ where: { ticketId: t.id, via: { not: null } } })).toBe(1);

		// Back to Open and Pending again: a new period, a new reminder once it is 3 days old.
		const scope = await scopeOf(agent);
		await updateTicket(scope, { ticket: t.id, status: 'OPEN' });
		await updateTicket(scope, { ticket: t.id, status: 'PENDING' });
		await runTimeRules();
		expect(await runsOf(rule.id)).toHaveLength(1);
		await age(t.id, 4 * DAY);
		await runTimeRules();
		expect(await runsOf(rule.id)).toHaveLength(2);
	});

	it('escalate unassigned after 30 min: tickets that did not match are looked at again once changed', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const manager = await makeUser({ role: 'IT_MANAGER' });
		const team = await makeTeam([agent]);
		await db().group.update({ where: { id: team.id }, data: { managerId: manager.id } });
		const rule = await makeRule({
			trigger: 'TIME',
			timeAnchor: 'created',
			timeMinutes: 30,
			conditions: {
				match: 'all',
				conditions: [
					{ field: 'status', op: 'in', value: ['NEW', 'OPEN'] },
					{ field: 'assignee', op: 'isEmpty' }
				]
			},
			actions: [
				{ type: 'set', field: 'priority', value: 'HIGH' },
				{
					type: 'notify',
					recipients: ['groupManager'],
					title: '#{{ticket.number}} unassigned for 30 min'
				}
			]
		});
		const lonely = await makeTicket(agent, { groupId: team.id });
		const taken = await makeTicket(agent, { groupId: team.id, assigneeId: agent.id });
		const fresh = await makeTicket(agent, { groupId: team.id });
		await age(lonely.id, 31 * MIN, 'createdAt');
		await age(taken.id, 31 * MIN, 'createdAt');
		await age(fresh.id, 10 * MIN, 'createdAt');

		const first = await runTimeRules();
		expect(first).toMatchObject({ checked: 2, acted: 1 });
		expect((await runsOf(rule.id)).map((r) => r.ticketId)).toEqual([lonely.id]);
		expect(await db().notification.count({ where: { userId: manager.id } })).toBe(1);

		// Nothing changed: the assigned ticket is not looked at again.
		expect((await runTimeRules()).checked).toBe(0);
		// Unassigned now (same status period): looked at again, and it matches.
		await updateTicket(await scopeOf(agent), { ticket: taken.id, assigneeId: null });
		const third = await runTimeRules();
		expect(third).toMatchObject({ checked: 1, acted: 1 });
	});

	it('two passes at once act on each ticket exactly once', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const rule = await closeResolved();
		const tickets = [];
		for (let i = 0; i < 150; i++) tickets.push(await makeTicket(agent, { status: 'RESOLVED' }));
		await db().ticket.updateMany({
			where: { id: { in: tickets.map((t) => t.id) } },
			data: { statusChangedAt: new Date(Date.now() - 8 * DAY) }
		});
		const [a, b] = await Promise.all([runTimeRules(), runTimeRules()]);
		expect(a.acted + b.acted).toBe(150);
		const runs = await runsOf(rule.id);
		expect(runs).toHaveLength(150);
		expect(new Set(runs.map((r) => r.ticketId)).size).toBe(150);
		const events = await db().ticketEvent.count({
			where: { ticketId: { in: tickets.map((t) => t.id) }, field: 'status', via: { not: null } }
		});
		expect(events).toBe(150);
	});

	it('rules with an inactive flag or no time settings are not run', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const rule = await closeResolved();
		await db().automationRule.update({ where: { id: rule.id }, data: { active: false } });
		const t = await makeTicket(agent, { status: 'RESOLVED' });
		await age(t.id, 8 * DAY);
		expect(await runTimeRules()).toMatchObject({ rules: 0, acted: 0 });
	});
});
