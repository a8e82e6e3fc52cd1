import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { toSessionUser } from '../../src/lib/server/identity/sessions';
import { linkTickets, unlinkTickets } from '../../src/lib/server/tickets/links';
import { getTicket } from '../../src/lib/server/tickets/queries';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCallerFactory } from '../../src/lib/server/trpc/init';
import { ticketRelationsRouter } from '../../src/lib/server/trpc/routers/ticketRelations';
import { makeUser, type TestUser } from '../helpers/factories';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';

const relationsAs = (u: TestUser) =>
	createCallerFactory(ticketRelationsRouter)(createContext({ user: toSessionUser(u) }));

const linkHistory = (ticketId: string) =>
	db()
		.ticketEvent.findMany({ where: { ticketId, field: 'link' }, orderBy: { id: 'asc' } })
		.then((rows) => rows.map((r) => [r.fromValue, r.toValue]));

describe('ticket links', () => {
	it('links a parent to a child, shows it on both tickets and writes history on both', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const parent = await makeTicket(agent);
		const child = await makeTicket(agent);
		const scope = await scopeOf(agent);
		const link = await linkTickets(scope, {
			ticket: parent.number,
			other: `#${child.number}`,
			kind: 'PARENT_CHILD'
		});
		expect(link).toMatchObject({ kind: 'PARENT_CHILD', from: parent.number, to: child.number });

		// getTicket's conditional select loses the relation types; the shape is checked here.
		type Linked = { kind: string; to: { number: number }; from: { number: number } };
		const p = (await getTicket(scope, parent.id)) as unknown as { linksFrom: Linked[] };
		expect(p.linksFrom.map((l) => [l.kind, l.to.number])).toEqual([['PARENT_CHILD', child.number]]);
		const c = (await getTicket(scope, child.id)) as unknown as { linksTo: Linked[] };
		expect(c.linksTo.map((l) => [l.kind, l.from.number])).toEqual([
			['PARENT_CHILD', parent.number]
		]);
		expect(await linkHistory(parent.id)).toEqual([[null, `Parent of #${child.number}`]]);
		expect(await linkHistory(child.id)).toEqual([[null, `Child of #${parent.number}`]]);
	});

	it('refuses a self-link with a field message', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		await expect(
			linkTickets(await scopeOf(agent), { ticket: t.id, other: t.number })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			fields: { other: ['A ticket cannot be linked to itself.'] }
		});
	});

	it('refuses the same link twice, and the reverse of a related link, without writing history', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const a = await makeTicket(agent);
		const b = await makeTicket(agent);
		const scope = await scopeOf(agent);
		await linkTickets(scope, { ticket: a.id, other: b.id, kind: 'RELATED' });
		await expect(
			linkTickets(scope, { ticket: a.id, other: b.id, kind: 'RELATED' })
		).rejects.toMatchObject({ code: 'CONFLICT' });
		await expect(
			linkTickets(scope, { ticket: b.id, other: a.id, kind: 'RELATED' })
		).rejects.toMatchObject({ code: 'CONFLICT' });
		expect(await linkHistory(a.id)).toHaveLength(1);
		// A different kind between the same pair is a different link.
		await linkTickets(scope, { ticket: a.id, other: b.id, kind: 'DUPLICATE' });
		expect(await db().ticketLink.count({ where: { fromId: a.id } })).toBe(2);
	});

	it('two agents adding the same link at the same moment: one link, one conflict', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const a = await makeTicket(agent);
		const b = await makeTicket(agent);
		const scope = await scopeOf(agent);
		const results = await Promise.allSettled([
			linkTickets(scope, { ticket: a.id, other: b.id }),
			linkTickets(scope, { ticket: a.id, other: b.id })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(
			(results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason
		).toMatchObject({ code: 'CONFLICT' });
		expect(await db().ticketLink.count({ where: { fromId: a.id } })).toBe(1);
	});

	it('unlinks from either side, with history on both tickets', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const a = await makeTicket(agent);
		const b = await makeTicket(agent);
		const scope = await scopeOf(agent);
		const link = await linkTickets(scope, { ticket: a.id, other: b.id, kind: 'DUPLICATE' });
		await unlinkTickets(scope, { ticket: b.number, link: link.id });
		expect(await db().ticketLink.count({ where: { id: link.id } })).toBe(0);
		expect(await linkHistory(a.id)).toEqual([
			[null, `Duplicate of #${b.number}`],
			[`Duplicate of #${b.number}`, null]
		]);
		expect((await linkHistory(b.id)).at(-1)).toEqual([`Duplicate of #${a.number}`, null]);
		await expect(unlinkTickets(scope, { ticket: a.id, link: link.id })).rejects.toMatchObject({
			code: 'NOT_FOUND'
		});
	});

	it('cannot unlink through a ticket the link does not belong to', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const [a, b, c] = await Promise.all([1, 2, 3].map(() => makeTicket(agent)));
		const scope = await scopeOf(agent);
		const link = await linkTickets(scope, { ticket: a!.id, other: b!.id });
		await expect(unlinkTickets(scope, { ticket: c!.id, link: link.id })).rejects.toMatchObject({
			code: 'NOT_FOUND'
		});
		expect(await db().ticketLink.count({ where: { id: link.id } })).toBe(1);
	});

	it('cannot link to a ticket the agent cannot see (it is simply not found)', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const outsider = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([outsider]);
		const mine = await makeTicket(agent);
		const theirs = await makeTicket(outsider, { groupId: team.id });
		await expect(
			linkTickets(await scopeOf(agent), { ticket: mine.id, other: theirs.number })
		).rejects.toMatchObject({ code: 'NOT_FOUND', fields: { other: ['Ticket not found.'] } });
	});

	it('an end user may not link tickets, and the router refuses them before anything runs', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const a = await makeTicket(user);
		const b = await makeTicket(user);
		await expect(
			linkTickets(await scopeOf(user), { ticket: a.id, other: b.id })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(
			relationsAs(user).link({ ticket: a.id, other: b.id, kind: 'RELATED' })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('the router links and unlinks for agents', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const a = await makeTicket(agent);
		const b = await makeTicket(agent);
		const caller = relationsAs(agent);
		const link = await caller.link({ ticket: a.number, other: b.number, kind: 'RELATED' });
		expect(await caller.unlink({ ticket: a.number, link: link.id })).toEqual({ ok: true });
	});
});
