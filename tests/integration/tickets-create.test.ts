import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { createTicket } from '../../src/lib/server/tickets/create';
import { auditOf, makeUser, uniqueEmail } from '../helpers/factories';
import { makeTeam, makeTicket, viewerOf } from '../helpers/tickets';

describe('createTicket', () => {
	it('gives an agent-opened ticket the next number, status New, a history row and an audit row', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const a = await makeTicket(agent, {
			subject: 'Printer jams',
			priority: 'HIGH',
			tags: ['Printer', 'printer', 'floor 3']
		});
		const b = await makeTicket(agent);
		expect(b.number).toBeGreaterThan(a.number);
		expect(a).toMatchObject({
			status: 'NEW',
			priority: 'HIGH',
			source: 'AGENT',
			tags: ['printer', 'floor 3']
		});
		expect(a.requester.id).toBe(agent.id);
		const history = await db().ticketEvent.findMany({ where: { ticketId: a.id } });
		expect(history.map((h) => h.field)).toEqual(['created']);
		expect((await auditOf(a.id)).map((r) => r.action)).toEqual(['ticket.create']);
	});

	it('numbers stay gap-free and unique when many tickets (and idempotency races) arrive at once', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const key = `race-${Date.now()}`;
		const results = await Promise.all([
			...Array.from({ length: 20 }, () => makeTicket(agent)),
			...Array.from({ length: 10 }, () =>
				createTicket(
					{ viewer: viewerOf(agent) },
					{ subject: 'Same key' },
					{ source: 'API', idempotencyKey: key }
				)
			).map((p) => p.then((r) => r.ticket))
		]);
		const numbers = [...new Set(results.map((t) => t.number))].sort((x, y) => x - y);
		// 20 distinct tickets plus exactly one for the repeated key.
		expect(numbers).toHaveLength(21);
		const all = await db().ticket.findMany({
			where: { number: { gte: numbers[0]!, lte: numbers[numbers.length - 1]! } },
			select: { number: true }
		});
		// Other tests create tickets concurrently, but no number in the range is missing.
		const span = numbers[numbers.length - 1]! - numbers[0]! + 1;
		expect(all).toHaveLength(span);
		expect(await db().idempotencyKey.count({ where: { userId: agent.id, key } })).toBe(1);
	});

	it('names an unknown requester by email as a new contact, and keeps an existing person as they are', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const email = uniqueEmail('contact');
		const t = await makeTicket(agent, {
			requester: { email: email.toUpperCase(), name: 'Casey Contact' }
		});
		expect(t.requester).toMatchObject({ email, name: 'Casey Contact', role: 'REQUESTER' });
		const known = await makeUser({ role: 'END_USER', name: 'Known Person' });
		const t2 = await makeTicket(agent, { requester: { email: known.email, name: 'Someone Else' } });
		expect(t2.requester).toMatchObject({ id: known.id, name: 'Known Person', role: 'END_USER' });
	});

	it('an end user opens tickets only for themselves; staff-only properties are ignored', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const agent = await makeUser({ role: 'AGENT' });
		const { ticket } = await createTicket(
			{ viewer: viewerOf(user) },
			{
				subject: 'My mouse',
				requesterId: agent.id,
				assigneeId: agent.id,
				status: 'CLOSED',
				tags: ['vip']
			},
			{ source: 'PORTAL' }
		);
		expect(ticket).toMatchObject({ status: 'NEW', assignee: null, tags: [], source: 'PORTAL' });
		expect(ticket.requester.id).toBe(user.id);
	});

	it('the anonymous form must name the requester', async () => {
		await expect(
			createTicket({ viewer: null }, { subject: 'Help me' }, { source: 'FORM' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			fields: { 'requester.email': ['Your email address is required.'] }
		});
	});

	it('refuses unknown types, groups and non-agent assignees with a message per field', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const missing = '00000000-0000-4000-8000-000000000000';
		await expect(makeTicket(agent, { typeId: missing })).rejects.toMatchObject({
			fields: { typeId: ['Choose a valid type.'] }
		});
		await expect(makeTicket(agent, { groupId: missing })).rejects.toMatchObject({
			fields: { groupId: ['Choose a valid group.'] }
		});
		await expect(makeTicket(agent, { assigneeId: user.id })).rejects.toMatchObject({
			fields: { assigneeId: ['Tickets can only be assigned to active agents.'] }
		});
		await expect(makeTicket(agent, { subject: 'x' })).rejects.toThrow();
	});

	it('round-robin hands tickets to active members in turn, even when they arrive together', async () => {
		const agents = await Promise.all([1, 2, 3].map(() => makeUser({ role: 'AGENT' })));
		const inactive = await makeUser({ role: 'AGENT', active: false });
		const endUser = await makeUser({ role: 'END_USER' });
		const team = await makeTeam([...agents, inactive, endUser], 'ROUND_ROBIN');
		const opener = await makeUser({ role: 'ADMIN' });
		const tickets = await Promise.all(
			Array.from({ length: 9 }, () => makeTicket(opener, { groupId: team.id }))
		);
		const counts = new Map<string, number>();
		for (const t of tickets) counts.set(t.assignee!.id, (counts.get(t.assignee!.id) ?? 0) + 1);
		expect([...counts.keys()].sort()).toEqual(agents.map((a) => a.id).sort());
		expect([...counts.values()]).toEqual([3, 3, 3]);
	});

	it('load balancing picks the member with the fewest open tickets', async () => {
		const busy = await makeUser({ role: 'AGENT' });
		const free = await makeUser({ role: 'AGENT' });
		const admin = await makeUser({ role: 'ADMIN' });
		const team = await makeTeam([busy, free], 'LOAD_BALANCED');
		await makeTicket(admin, { assigneeId: busy.id });
		await makeTicket(admin, { assigneeId: busy.id });
		await makeTicket(admin, { assigneeId: free.id, status: 'RESOLVED' });
		const t = await makeTicket(admin, { groupId: team.id });
		expect(t.assignee?.id).toBe(free.id);
		const notified = await db().notification.count({
			where: { userId: free.id, type: 'ticket.assigned', title: { startsWith: `#${t.number} ` } }
		});
		expect(notified).toBe(1);
	});

	it('a manual group leaves new tickets unassigned', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([agent]);
		expect((await makeTicket(agent, { groupId: team.id })).assignee).toBeNull();
	});
});
