import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { GUARD_RUNS } from '../../src/lib/server/automation/engine';
import { addEntry } from '../../src/lib/server/tickets/entries';
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
beforeEach(() => clearRules());

const contains = (word: string) => ({
	match: 'all',
	conditions: [{ field: 'subject', op: 'contains', value: word }]
});

async function version(id: string) {
	return (await db().ticket.findUniqueOrThrow({ where: { id }, select: { version: true } }))
		.version;
}

describe('event rules', () => {
	it('a created rule changes the new ticket in the same transaction, with history by rule name', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([agent], 'ROUND_ROBIN');
		const rule = await makeRule({
			name: 'Printers to the desk team',
			trigger: 'CREATED',
			conditions: contains('printer'),
			actions: [
				{ type: 'set', field: 'priority', value: 'HIGH' },
				{ type: 'addTags', tags: ['printer', 'hardware'] },
				{ type: 'assignGroup', groupId: team.id, autoAssign: true }
			]
		});
		const t = await makeTicket(agent, { subject: 'The PRINTER on floor 3 jams' });
		// The returned ticket already shows what the rule did.
		expect(t.priority).toBe('HIGH');
		expect(t.tags).toEqual(['printer', 'hardware']);
		expect(t.group?.id).toBe(team.id);
		expect(t.assignee?.id).toBe(agent.id);

		const history = await historyOf(t.id);
		expect(history.map((h) => [h.field, h.toValue])).toEqual([
			['priority', 'HIGH'],
			['tags', 'printer, hardware'],
			['group', team.id],
			['assignee', agent.id]
		]);
		expect(history.every((h) => h.via === 'rule: Printers to the desk team' && !h.actorId)).toBe(
			true
		);
		const runs = await runsOf(rule.id);
		expect(runs).toHaveLength(1);
		expect(runs[0]).toMatchObject({ ticketId: t.id, outcome: 'done', trigger: 'CREATED' });
		expect(runs[0]!.summary).toContain('priority → HIGH');

		// Other tickets are left alone, and nothing is logged for them.
		const other = await makeTicket(agent, { subject: 'Monitor flickers' });
		expect(other.priority).toBe('MEDIUM');
		expect(await runsOf(rule.id)).toHaveLength(1);
	});

	it('rules run in order, see each other’s changes, and "stop processing" ends the run', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		await makeRule({
			trigger: 'CREATED',
			conditions: contains('outage'),
			actions: [{ type: 'set', field: 'priority', value: 'CRITICAL' }]
		});
		const second = await makeRule({
			trigger: 'CREATED',
			conditions: {
				match: 'all',
				conditions: [{ field: 'priority', op: 'in', value: ['CRITICAL'] }]
			},
			actions: [{ type: 'addTags', tags: ['major'] }],
			stopProcessing: true
		});
		const third = await makeRule({
			trigger: 'CREATED',
			conditions: { match: 'all', conditions: [] },
			actions: [{ type: 'addTags', tags: ['third'] }]
		});
		const t = await makeTicket(agent, { subject: 'Mail outage' });
		expect(t.priority).toBe('CRITICAL');
		expect(t.tags).toEqual(['major']);
		expect(await runsOf(third.id)).toHaveLength(0);

		// A ticket the second rule does not match runs on to the third.
		const u = await makeTicket(agent, { subject: 'Question' });
		expect(u.tags).toEqual(['third']);
		expect(await runsOf(second.id)).toHaveLength(1);
	});

	it('"any" matches on one condition; custom fields, requester and department conditions hold', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const requester = await makeUser({ department: 'Finance' });
		await db().customField.create({
			data: { key: 'seats', label: 'Seats', kind: 'NUMBER', typeIds: [] }
		});
		await makeRule({
			trigger: 'CREATED',
			conditions: {
				match: 'any',
				conditions: [
					{ field: 'requesterDepartment', op: 'is', value: 'finance' },
					{ field: 'custom', key: 'seats', op: 'gt', value: 10 }
				]
			},
			actions: [{ type: 'addTags', tags: ['vip'] }]
		});
		const a = await makeTicket(agent, { requesterId: requester.id });
		expect(a.tags).toEqual(['vip']);
		const b = await makeTicket(agent, { customFields: { seats: 25 } });
		expect(b.tags).toEqual(['vip']);
		const c = await makeTicket(agent, { customFields: { seats: 3 } });
		expect(c.tags).toEqual([]);
	});

	it('an updated rule sees the change; changes made by rules never wake rules again', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const manager = await makeUser({ role: 'IT_MANAGER' });
		const team = await makeTeam([agent]);
		await db().group.update({ where: { id: team.id }, data: { managerId: manager.id } });
		const onCritical = await makeRule({
			name: 'Critical: tell the manager',
			trigger: 'UPDATED',
			conditions: {
				match: 'all',
				conditions: [{ field: 'priority', op: 'changedTo', value: ['CRITICAL'] }]
			},
			actions: [
				{
					type: 'notify',
					recipients: ['groupManager'],
					title: '#{{ticket.number}} is critical: {{ticket.subject}}'
				},
				{ type: 'addTags', tags: ['critical'] }
			]
		});
		// A created rule raises the priority: that is no "update", the rule above stays asleep.
		await makeRule({
			trigger: 'CREATED',
			conditions: contains('datacenter'),
			actions: [{ type: 'set', field: 'priority', value: 'CRITICAL' }]
		});
		const t = await makeTicket(agent, { subject: 'Datacenter on fire', groupId: team.id });
		expect(t.priority).toBe('CRITICAL');
		expect(await runsOf(onCritical.id)).toHaveLength(0);

		const u = await makeTicket(agent, { subject: 'Slow VPN', groupId: team.id });
		const after = await updateTicket(await scopeOf(agent), {
			ticket: u.id,
			version: u.version,
			priority: 'CRITICAL'
		});
		// The rule's change is in the answer and the version the agent holds next.
		expect(after.tags).toEqual(['critical']);
		expect(after.version).toBe(await version(u.id));
		const note = await db().notification.findFirstOrThrow({ where: { userId: manager.id } });
		expect(note.title).toBe(`#${u.number} is critical: Slow VPN`);
		expect(note.type).toBe('automation.notify');

		// Another change (not to Critical) leaves the rule asleep.
		await updateTicket(await scopeOf(agent), { ticket: u.id, subject: 'Slow VPN (Berlin)' });
		expect(await runsOf(onCritical.id)).toHaveLength(1);
	});

	it('the loop guard stops a rule that keeps acting on one ticket', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const rule = await makeRule({
			trigger: 'UPDATED',
			conditions: { match: 'all', conditions: [{ field: 'subject', op: 'changed' }] },
			actions: [{ type: 'addTags', tags: ['touched'] }]
		});
		const t = await makeTicket(agent);
		const scope = await scopeOf(agent);
		for (let i = 0; i < GUARD_RUNS + 2; i++) {
			await updateTicket(scope, { ticket: t.id, subject: `Attempt ${i}` });
		}
		const runs = await runsOf(rule.id);
		expect(runs.map((r) => r.outcome)).toEqual([
			...Array(GUARD_RUNS).fill('done'),
			'skipped',
			'skipped'
		]);
		expect(runs.at(-1)!.summary).toContain('loop guard');
	});

	it('replied rules know who wrote and what; a rule reply carries placeholders and its name', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const requester = await makeUser({ name: 'Dana Scully' });
		const rule = await makeRule({
			name: 'Urgent replies',
			trigger: 'REPLIED',
			conditions: {
				match: 'all',
				conditions: [
					{ field: 'replyAuthor', op: 'in', value: ['requester'] },
					{ field: 'text', op: 'contains', value: 'urgent' }
				]
			},
			actions: [
				{ type: 'set', field: 'priority', value: 'HIGH' },
				{
					type: 'reply',
					body: 'Hi {{requester.firstName}}, we raised #{{ticket.number}} to high priority.'
				}
			]
		});
		const t = await makeTicket(agent, { requesterId: requester.id, subject: 'Laptop' });
		// An agent writing "urgent" does not match; neither does the requester without the word.
		await addEntry(
			{ scope: await scopeOf(agent) },
			{ ticket: t.id, kind: 'REPLY', body: 'Is it urgent?' }
		);
		await addEntry(
			{ scope: await scopeOf(requester) },
			{ ticket: t.id, kind: 'REPLY', body: 'Thanks' }
		);
		expect(await runsOf(rule.id)).toHaveLength(0);

		await addEntry(
			{ scope: await scopeOf(requester) },
			{ ticket: t.id, kind: 'REPLY', body: 'This is URGENT now, the board meets at 10.' }
		);
		const ticket = await db().ticket.findUniqueOrThrow({
			where: { id: t.id },
			select: { priority: true, firstResponseAt: true }
		});
		expect(ticket.priority).toBe('HIGH');
		const reply = await db().ticketEntry.findFirstOrThrow({
			where: { ticketId: t.id, via: { not: null } }
		});
		expect(reply).toMatchObject({
			kind: 'REPLY',
			authorId: null,
			via: 'rule: Urgent replies',
			body: `Hi Dana, we raised #${t.number} to high priority.`
		});
		expect(reply.bodyHtml).toContain('<p>Hi Dana');
		// The rule's own reply does not wake the rule again.
		expect(await runsOf(rule.id)).toHaveLength(1);
	});

	it('an action that cannot run is logged as failed; the others and the ticket change stand', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const leaving = await makeUser({ role: 'AGENT' });
		const watcher = await makeUser({ role: 'AGENT' });
		const rule = await makeRule({
			trigger: 'CREATED',
			conditions: contains('onboarding'),
			actions: [
				{ type: 'assignAgent', userId: leaving.id },
				{ type: 'addWatchers', userIds: [watcher.id] },
				{ type: 'removeTags', tags: ['draft'] },
				{ type: 'reply', body: 'Internal: check the HR sheet.', internal: true }
			]
		});
		await db().user.update({ where: { id: leaving.id }, data: { active: false } });
		const t = await makeTicket(agent, { subject: 'Onboarding Max', tags: ['draft', 'hr'] });
		expect(t.assignee).toBeNull();
		expect(t.tags).toEqual(['hr']);
		const watchers = await db().ticketWatcher.findMany({ where: { ticketId: t.id } });
		expect(watchers.map((w) => w.userId)).toEqual([watcher.id]);
		const note = await db().ticketEntry.findFirstOrThrow({ where: { ticketId: t.id } });
		expect(note.kind).toBe('NOTE');
		const [run] = await runsOf(rule.id);
		expect(run!.outcome).toBe('failed');
		expect(run!.summary).toContain('assignAgent skipped: the agent is inactive');
	});

	it('assign to a group without its method keeps the assignee only if they belong to it', async () => {
		const member = await makeUser({ role: 'AGENT' });
		const outsider = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([member]);
		const actions: object[] = [
			{ type: 'assignGroup', groupId: team.id, autoAssign: false },
			{ type: 'set', field: 'priority', value: 'HIGH' }
		];
		const rule = await makeRule({
			trigger: 'UPDATED',
			conditions: {
				match: 'all',
				conditions: [{ field: 'tags', op: 'includesAny', value: ['move'] }]
			},
			actions
		});
		// A stored action the editor would refuse (written before a rule change, or by hand).
		actions[1] = { type: 'set', field: 'priority', value: null };
		await db().automationRule.update({ where: { id: rule.id }, data: { actions } as never });
		const scope = await scopeOf(member);
		const kept = await makeTicket(member, { assigneeId: member.id });
		const a = await updateTicket(scope, { ticket: kept.id, tags: ['move'] });
		expect(a.group?.id).toBe(team.id);
		expect(a.assignee?.id).toBe(member.id);
		const dropped = await makeTicket(member, { assigneeId: outsider.id });
		const b = await updateTicket(scope, { ticket: dropped.id, tags: ['move'] });
		expect(b.group?.id).toBe(team.id);
		expect(b.assignee).toBeNull();
		// "No priority" cannot be: that action is skipped and logged, the rest stands.
		expect(b.priority).toBe('MEDIUM');
		const run = await db().automationRun.findFirstOrThrow({ where: { ticketId: dropped.id } });
		expect(run.outcome).toBe('failed');
		expect(run.summary).toContain('a ticket always has a priority');
	});

	it('time-of-day conditions follow the window’s time zone', async () => {
		const { inWindow } = await import('../../src/lib/server/automation/conditions');
		const window = { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00', timeZone: 'Europe/Berlin' };
		// Monday 2026-12-07 08:30 UTC is 09:30 in Berlin (inside); 16:30 UTC is 17:30 (outside).
		expect(inWindow(new Date('2026-12-07T08:30:00Z'), window)).toBe(true);
		expect(inWindow(new Date('2026-12-07T16:30:00Z'), window)).toBe(false);
		// Saturday: outside all day.
		expect(inWindow(new Date('2026-12-12T10:00:00Z'), window)).toBe(false);
		// Summer time: 07:30 UTC on a July Monday is 09:30 in Berlin.
		expect(inWindow(new Date('2026-07-06T07:30:00Z'), window)).toBe(true);
	});
});
