import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { updateTicket } from '../../src/lib/server/tickets/update';
import { callerAs, makeUser } from '../helpers/factories';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';
import { errorShape, expectCode } from '../helpers/trpc';

describe('updateTicket', () => {
	it('changes properties, bumps the version and records every change with from → to', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Dana Agent' });
		const t = await makeTicket(agent, { priority: 'LOW' });
		const updated = await updateTicket(await scopeOf(agent), {
			ticket: t.number,
			version: t.version,
			priority: 'HIGH',
			status: 'OPEN',
			tags: ['vpn'],
			subject: t.subject
		});
		expect(updated).toMatchObject({
			priority: 'HIGH',
			status: 'OPEN',
			tags: ['vpn'],
			version: t.version + 1
		});
		const events = await db().ticketEvent.findMany({
			where: { ticketId: t.id, field: { not: 'created' } },
			orderBy: { field: 'asc' }
		});
		expect(events.map((e) => [e.field, e.fromValue, e.toValue, e.actorId])).toEqual([
			['priority', 'LOW', 'HIGH', agent.id],
			['status', 'NEW', 'OPEN', agent.id],
			['tags', '', 'vpn', agent.id]
		]);
	});

	it('a stale version is refused with who changed it, and nothing is overwritten', async () => {
		const dana = await makeUser({ role: 'AGENT', name: 'Dana Agent' });
		const sam = await makeUser({ role: 'AGENT', name: 'Sam Agent' });
		const t = await makeTicket(dana);
		await updateTicket(await scopeOf(dana), {
			ticket: t.id,
			version: t.version,
			priority: 'CRITICAL'
		});
		await expect(
			updateTicket(await scopeOf(sam), {
				ticket: t.id,
				version: t.version,
				priority: 'LOW',
				subject: 'Overwritten?'
			})
		).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringContaining('changed by Dana Agent just now')
		});
		const now = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
		expect(now).toMatchObject({ priority: 'CRITICAL', subject: t.subject });
	});

	it('two agents saving the same version at the same moment: exactly one wins', async () => {
		const a = await makeUser({ role: 'AGENT' });
		const b = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(a);
		const results = await Promise.allSettled([
			updateTicket(await scopeOf(a), { ticket: t.id, version: t.version, priority: 'HIGH' }),
			updateTicket(await scopeOf(b), { ticket: t.id, version: t.version, priority: 'LOW' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(results.filter((r) => r.status === 'rejected')[0]).toMatchObject({
			reason: { code: 'CONFLICT' }
		});
		expect(await db().ticketEvent.count({ where: { ticketId: t.id, field: 'priority' } })).toBe(1);
	});

	it('resolving stamps resolvedAt; reopening clears it; closing stamps closedAt', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const scope = await scopeOf(agent);
		const t = await makeTicket(agent);
		const r = await updateTicket(scope, { ticket: t.id, status: 'RESOLVED' });
		expect(r.resolvedAt).toBeInstanceOf(Date);
		const o = await updateTicket(scope, { ticket: t.id, status: 'OPEN' });
		expect([o.resolvedAt, o.closedAt]).toEqual([null, null]);
		const c = await updateTicket(scope, { ticket: t.id, status: 'CLOSED' });
		expect(c.closedAt).toBeInstanceOf(Date);
		expect(c.resolvedAt).toBeInstanceOf(Date);
	});

	it('saving unchanged values writes nothing', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent, { tags: ['a'] });
		const same = await updateTicket(await scopeOf(agent), {
			ticket: t.id,
			version: t.version,
			tags: ['a'],
			priority: t.priority
		});
		expect(same.version).toBe(t.version);
	});

	it('assigning tells the new assignee; moving to an auto-assigning group picks someone', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(admin);
		await updateTicket(await scopeOf(admin), { ticket: t.id, assigneeId: agent.id });
		expect(
			await db().notification.count({ where: { userId: agent.id, type: 'ticket.assigned' } })
		).toBe(1);

		const member = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([member], 'ROUND_ROBIN');
		const t2 = await makeTicket(admin);
		const moved = await updateTicket(await scopeOf(admin), { ticket: t2.id, groupId: team.id });
		expect(moved.assignee?.id).toBe(member.id);
	});

	it('an agent cannot touch a ticket of a group they are not in (not found); an end user may not update at all', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const outsider = await makeUser({ role: 'AGENT' });
		const member = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([member]);
		const t = await makeTicket(admin, { groupId: team.id });
		await expect(
			updateTicket(await scopeOf(outsider), { ticket: t.id, priority: 'LOW' })
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(
			updateTicket(await scopeOf(member), { ticket: t.id, priority: 'LOW' })
		).resolves.toMatchObject({ priority: 'LOW' });
		const user = await makeUser({ role: 'END_USER' });
		await expect(
			callerAs(user).tickets.update({ ticket: t.id, priority: 'HIGH' })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('refuses invalid values with per-field messages', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		const err = await expectCode(
			callerAs(agent).tickets.update({ ticket: t.id, status: 'DONE' as never, subject: '' }),
			'BAD_REQUEST'
		);
		expect(Object.keys(errorShape(err, 'tickets.update').data.fields ?? {}).sort()).toEqual([
			'status',
			'subject'
		]);
	});
});
