import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { addEntry } from '../../src/lib/server/tickets/entries';
import {
	formStamp,
	rateByToken,
	reopenByToken,
	submitPublicTicket,
	viewByToken
} from '../../src/lib/server/tickets/public';
import { getTicket } from '../../src/lib/server/tickets/queries';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCallerFactory } from '../../src/lib/server/trpc/init';
import { portalRouter } from '../../src/lib/server/trpc/routers/portal';
import {
	callerAs,
	makeUser,
	sessionUserOf,
	uniqueEmail,
	uniqueIp,
	type TestUser
} from '../helpers/factories';
import { makeTicket, scopeOf } from '../helpers/tickets';
import { expectCode } from '../helpers/trpc';

/** The portal procedures as `user` (built from the router itself, as the root router mounts it). */
const portalAs = (user: TestUser) =>
	createCallerFactory(portalRouter)(createContext({ user: sessionUserOf(user), ip: uniqueIp() }));

/** Status changes made by staff, straight in the database (the update rules are tested elsewhere). */
const setStatus = (id: string, status: 'OPEN' | 'RESOLVED' | 'CLOSED', at = new Date()) =>
	db().ticket.update({
		where: { id },
		data: {
			status,
			resolvedAt: status === 'OPEN' ? null : at,
			closedAt: status === 'CLOSED' ? at : null
		}
	});

async function setup() {
	const agent = await makeUser({ role: 'AGENT', name: 'Alex Agent' });
	const alice = await makeUser({ role: 'END_USER' });
	const bob = await makeUser({ role: 'END_USER' });
	const secret = `SECRET-${randomUUID().slice(0, 6)}`;
	const mine = await makeTicket(agent, { requesterId: alice.id, subject: 'Alice laptop' });
	const theirs = await makeTicket(agent, { requesterId: bob.id, subject: 'Bob phone' });
	for (const t of [mine, theirs]) {
		await addEntry(
			{ scope: await scopeOf(agent) },
			{ ticket: t.id, kind: 'NOTE', body: `${secret} internal` }
		);
		await addEntry({ scope: await scopeOf(agent) }, { ticket: t.id, body: 'We are on it.' });
	}
	return { agent, alice, bob, secret, mine, theirs };
}

describe('the portal: an end user sees only their own tickets, never internal notes', () => {
	it("another person's ticket is not found through any portal procedure", async () => {
		const { alice, theirs } = await setup();
		const portal = portalAs(alice);
		await expectCode(portal.get({ ticket: theirs.number }), 'NOT_FOUND');
		await expectCode(portal.get({ ticket: theirs.id }), 'NOT_FOUND');
		await expectCode(portal.reply({ ticket: theirs.number, body: 'Hi' }), 'NOT_FOUND');
		await setStatus(theirs.id, 'RESOLVED');
		await expectCode(portal.reopen({ ticket: theirs.number }), 'NOT_FOUND');
		await expectCode(portal.rate({ ticket: theirs.number, rating: 1 }), 'NOT_FOUND');
		const list = await portal.myTickets({ tab: 'resolved' });
		expect(list.items.map((t) => t.number)).not.toContain(theirs.number);
		expect((await db().ticket.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe(
			'RESOLVED'
		);
	});

	it('internal notes appear through no path an end user has: portal, tickets.get, getTicket, the private link', async () => {
		const { alice, mine, secret } = await setup();
		const viaPortal = await portalAs(alice).get({ ticket: mine.number });
		expect(viaPortal.entries.map((e) => e.bodyHtml).join()).toContain('We are on it.');
		const viaTickets = await callerAs(alice).tickets.get({ ticket: mine.number });
		const viaDomain = await getTicket(await scopeOf(alice), mine.number);
		const row = await db().ticket.findUniqueOrThrow({ where: { id: mine.id } });
		const viaLink = await viewByToken(row.accessToken);
		for (const seen of [viaPortal, viaTickets, viaDomain, viaLink]) {
			expect(JSON.stringify(seen)).not.toContain(secret);
		}
		// The portal names agents but does not hand out their addresses.
		expect(viaPortal.entries[0]).toMatchObject({ authorName: 'Alex Agent', byRequester: false });
		expect(JSON.stringify(viaPortal)).not.toMatch(/@test\.example/);
	});

	it('an agent using the portal sees only what they requested, as a requester', async () => {
		const { agent, mine } = await setup();
		const own = await makeTicket(agent, { subject: 'Agent own monitor' });
		const list = await portalAs(agent).myTickets({});
		expect(list.items.map((t) => t.number)).toContain(own.number);
		expect(list.items.map((t) => t.number)).not.toContain(mine.number);
		await expectCode(portalAs(agent).get({ ticket: mine.number }), 'NOT_FOUND');
	});
});

describe('the portal: my tickets, opening and replying', () => {
	it('lists open and resolved tickets in two tabs with counts, and searches them', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const word = `zebra${randomUUID().slice(0, 6)}`;
		const a = await makeTicket(agent, { requesterId: user.id, subject: `Printer ${word}` });
		const b = await makeTicket(agent, { requesterId: user.id, subject: 'VPN drops' });
		const c = await makeTicket(agent, { requesterId: user.id, subject: 'Old request' });
		await setStatus(c.id, 'CLOSED');
		const portal = portalAs(user);
		const open = await portal.myTickets({ tab: 'open' });
		expect(open.items.map((t) => t.number)).toEqual([b.number, a.number]);
		expect(open.counts).toEqual({ open: 2, resolved: 1 });
		expect(Object.keys(open.items[0]!).sort()).toEqual(
			['createdAt', 'number', 'status', 'subject', 'type', 'updatedAt'].sort()
		);
		const resolved = await portal.myTickets({ tab: 'resolved' });
		expect(resolved.items.map((t) => t.number)).toEqual([c.number]);
		const found = await portal.myTickets({ q: word });
		expect(found.items.map((t) => t.number)).toEqual([a.number]);
		expect(found.counts).toEqual({ open: 1, resolved: 0 });
	});

	it('pages through many tickets', async () => {
		const user = await makeUser({ role: 'END_USER' });
		for (let i = 0; i < 3; i++)
			await portalAs(user).create({ subject: `Ticket ${i}`, description: 'x' });
		const first = await portalAs(user).myTickets({ limit: 2 });
		expect(first.items).toHaveLength(2);
		const second = await portalAs(user).myTickets({ limit: 2, cursor: first.nextCursor! });
		expect(second.items).toHaveLength(1);
		expect(second.nextCursor).toBeNull();
	});

	it('opens a portal ticket for the signed-in person; staff-only fields are not accepted', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const agent = await makeUser({ role: 'AGENT' });
		const { number } = await portalAs(user).create({
			subject: 'New keyboard please',
			description: 'The E key is gone.',
			typeId: '',
			...({ assigneeId: agent.id, status: 'CLOSED', requesterId: agent.id } as object)
		});
		const row = await db().ticket.findUniqueOrThrow({ where: { number } });
		expect(row).toMatchObject({
			source: 'PORTAL',
			requesterId: user.id,
			assigneeId: null,
			status: 'NEW',
			typeId: null
		});
		expect((await portalAs(user).myTickets({})).items[0]?.number).toBe(number);
		const err = await expectCode(
			portalAs(user).create({ subject: 'x', description: '' }),
			'BAD_REQUEST'
		);
		expect(err.cause).toBeDefined();
	});

	it('replies are public, written by the requester, and not allowed on a closed ticket', async () => {
		const { alice, mine } = await setup();
		const portal = portalAs(alice);
		const e = await portal.reply({ ticket: mine.number, body: 'Thanks!' });
		const row = await db().ticketEntry.findUniqueOrThrow({ where: { id: e.id } });
		expect(row).toMatchObject({ kind: 'REPLY', authorId: alice.id, source: 'PORTAL' });
		await setStatus(mine.id, 'CLOSED');
		await expectCode(portal.reply({ ticket: mine.number, body: 'Hello?' }), 'CONFLICT');
		expect((await portal.get({ ticket: mine.number })).can).toMatchObject({
			reply: false,
			reopen: false
		});
	});
});

describe('reopen and CSAT rules', () => {
	it('the requester reopens a resolved ticket: Open again, with a history row, the assignee told', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id, assigneeId: agent.id });
		await setStatus(t.id, 'RESOLVED');
		expect((await portalAs(user).get({ ticket: t.number })).can.reopen).toBe(true);
		expect(await portalAs(user).reopen({ ticket: t.number })).toEqual({
			number: t.number,
			status: 'OPEN'
		});
		const row = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
		expect(row).toMatchObject({ status: 'OPEN', resolvedAt: null });
		const history = await db().ticketEvent.findFirstOrThrow({
			where: { ticketId: t.id, field: 'status' },
			orderBy: { id: 'desc' }
		});
		expect(history).toMatchObject({ actorId: user.id, fromValue: 'RESOLVED', toValue: 'OPEN' });
		const told = await db().notification.findFirst({
			where: { userId: agent.id, title: { contains: 'reopened' } }
		});
		expect(told?.title).toContain(`#${t.number}`);
		// Reopening an open ticket changes nothing.
		expect((await portalAs(user).reopen({ ticket: t.number })).status).toBe('OPEN');
		expect(await db().ticketEvent.count({ where: { ticketId: t.id, field: 'status' } })).toBe(1);
	});

	it('a closed ticket cannot be reopened: the requester is asked to open a new one', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id });
		await setStatus(t.id, 'CLOSED');
		const err = await expectCode(portalAs(user).reopen({ ticket: t.number }), 'CONFLICT');
		expect(err.message).toMatch(/open a new ticket/i);
	});

	it('only the requester rates, only once resolved or closed, 1 to 5', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id });
		const portal = portalAs(user);
		await expectCode(portal.rate({ ticket: t.number, rating: 5 }), 'CONFLICT');
		await setStatus(t.id, 'RESOLVED');
		for (const rating of [0, 6, 2.5]) {
			await expectCode(portal.rate({ ticket: t.number, rating }), 'BAD_REQUEST');
		}
		expect(await portal.rate({ ticket: t.number, rating: 2, comment: '  slow ' })).toEqual({
			rating: 2,
			comment: 'slow'
		});
		await expectCode(portalAs(agent).rate({ ticket: t.number, rating: 5 }), 'NOT_FOUND');
		const row = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
		expect(row).toMatchObject({ csatRating: 2, csatComment: 'slow' });
		const history = await db().ticketEvent.findFirstOrThrow({
			where: { ticketId: t.id, field: 'csat' }
		});
		expect(history).toMatchObject({ fromValue: null, toValue: '2', actorId: user.id });
	});

	it('a rating can be changed for 7 days after it was first given, then it is final', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id });
		await setStatus(t.id, 'CLOSED');
		const portal = portalAs(user);
		await portal.rate({ ticket: t.number, rating: 3 });
		const first = (await db().ticket.findUniqueOrThrow({ where: { id: t.id } })).csatAt!;
		await portal.rate({ ticket: t.number, rating: 5, comment: 'Fixed after all' });
		const row = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
		expect(row).toMatchObject({ csatRating: 5, csatComment: 'Fixed after all' });
		expect(row.csatAt).toEqual(first);
		await db().ticket.update({
			where: { id: t.id },
			data: { csatAt: new Date(Date.now() - 8 * 86_400_000) }
		});
		expect((await portal.get({ ticket: t.number })).can.rate).toBe(false);
		const err = await expectCode(portal.rate({ ticket: t.number, rating: 1 }), 'CONFLICT');
		expect(err.message).toMatch(/no longer be changed/);
	});

	it('by private link: reopen and rate follow the same rules', async () => {
		const r = await submitPublicTicket(
			{
				name: 'Link Holder',
				email: uniqueEmail('link'),
				subject: 'Scanner offline',
				description: 'It says offline.',
				stamp: await formStamp(Date.now() - 10_000)
			},
			{ ip: uniqueIp() }
		);
		const token = r.link!.slice(3);
		const t = await db().ticket.findUniqueOrThrow({ where: { number: r.number! } });
		await expect(rateByToken(token, { rating: 5 })).rejects.toMatchObject({ code: 'CONFLICT' });
		await setStatus(t.id, 'RESOLVED');
		await rateByToken(token, { rating: 5 });
		expect(await reopenByToken(token)).toMatchObject({ status: 'OPEN' });
		await setStatus(t.id, 'CLOSED');
		await expect(reopenByToken(token)).rejects.toMatchObject({ code: 'CONFLICT' });
		await expect(reopenByToken('C'.repeat(24))).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});

	it('a merged ticket can be neither reopened nor rated', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const target = await makeTicket(agent, { requesterId: user.id });
		const t = await makeTicket(agent, { requesterId: user.id });
		await db().ticket.update({
			where: { id: t.id },
			data: { mergedIntoId: target.id, status: 'RESOLVED' }
		});
		const view = await portalAs(user).get({ ticket: t.number });
		expect(view).toMatchObject({
			mergedInto: target.number,
			can: { reply: false, reopen: false, rate: false }
		});
		const err = await expectCode(portalAs(user).reopen({ ticket: t.number }), 'CONFLICT');
		expect(err.message).toContain(`#${target.number}`);
	});
});
