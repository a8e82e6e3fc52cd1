import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBus } from '../../src/lib/server/realtime/bus';
import { addEntry } from '../../src/lib/server/tickets/entries';
import type { TicketFeedEvent } from '../../src/lib/server/tickets/feed';
import { updateTicket } from '../../src/lib/server/tickets/update';
import { callerAs, makeUser, subscriberAs, type TestUser } from '../helpers/factories';
import { eventually } from '../helpers/async';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';

beforeAll(() => startBus());
const controllers: AbortController[] = [];
afterEach(() => {
	for (const c of controllers.splice(0)) c.abort();
});

/** Follows tickets.changes as `user`, collecting every event that arrives. */
async function follow(user: TestUser, input?: { ticket: string | number }) {
	const controller = new AbortController();
	controllers.push(controller);
	const iterator = (await subscriberAs(user, controller.signal).tickets.changes(input))[
		Symbol.asyncIterator
	]();
	const seen: TicketFeedEvent[] = [];
	const state: { error?: unknown } = {};
	const first = iterator.next();
	void (async () => {
		try {
			for (let r = await first; !r.done; r = await iterator.next()) seen.push(r.value);
		} catch (err) {
			state.error = err;
		}
	})();
	// The generator has registered its listener once it is waiting for the first event.
	await new Promise((r) => setTimeout(r, 100));
	return { seen, state };
}

const settle = () => new Promise((r) => setTimeout(r, 600));

describe('tickets.changes (live updates)', () => {
	it("reaches agents of the ticket's group, not agents of other groups", async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const member = await makeUser({ role: 'AGENT' });
		const outsider = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([member]);
		await makeTeam([outsider]);
		const mine = await follow(member);
		const theirs = await follow(outsider);
		const t = await makeTicket(admin, { groupId: team.id });
		await eventually(() => mine.seen.some((e) => e.ticketId === t.id && e.type === 'created'));
		await settle();
		expect(theirs.seen.filter((e) => e.ticketId === t.id)).toEqual([]);
	});

	it('an end user hears about public replies on their ticket, never about internal notes', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id });
		const feed = await follow(user, { ticket: t.number });
		const staffFeed = await follow(agent, { ticket: t.number });
		await addEntry(
			{ scope: await scopeOf(agent) },
			{ ticket: t.id, kind: 'NOTE', body: 'internal' }
		);
		await addEntry({ scope: await scopeOf(agent) }, { ticket: t.id, body: 'public' });
		await eventually(() => staffFeed.seen.filter((e) => e.type === 'entry').length === 2);
		await eventually(() => feed.seen.some((e) => e.type === 'entry'));
		await settle();
		expect(
			feed.seen.filter((e) => e.type === 'entry').map((e) => e.type === 'entry' && e.kind)
		).toEqual(['REPLY']);
	});

	it('following one ticket yields its updates and staff presence, not other tickets', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Watcher Wendy' });
		const colleague = await makeUser({ role: 'AGENT', name: 'Colleague Carl' });
		const t = await makeTicket(agent);
		const other = await makeTicket(agent);
		const feed = await follow(agent, { ticket: t.id });
		await updateTicket(await scopeOf(agent), { ticket: other.id, priority: 'HIGH' });
		await updateTicket(await scopeOf(colleague), { ticket: t.id, priority: 'LOW' });
		await callerAs(colleague).tickets.presence({ ticket: t.number, state: 'replying' });
		await eventually(() => feed.seen.some((e) => e.type === 'presence'));
		expect(feed.seen.every((e) => e.ticketId === t.id)).toBe(true);
		expect(feed.seen).toContainEqual(
			expect.objectContaining({ type: 'updated', fields: ['priority'] })
		);
		expect(feed.seen).toContainEqual(
			expect.objectContaining({
				type: 'presence',
				user: { id: colleague.id, name: 'Colleague Carl' },
				state: 'replying'
			})
		);
	});

	it('an end user cannot follow a ticket that is not theirs, nor announce presence', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent);
		const feed = await follow(user, { ticket: t.id });
		await eventually(() => feed.state.error !== undefined);
		expect(feed.state.error).toMatchObject({ code: 'NOT_FOUND' });
		await expect(
			callerAs(user).tickets.presence({ ticket: t.id, state: 'viewing' })
		).rejects.toMatchObject({
			code: 'FORBIDDEN'
		});
	});

	it("joining a group starts the agent's feed for that group without reconnecting", async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const agent = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([]);
		const feed = await follow(agent);
		const before = await makeTicket(admin, { groupId: team.id });
		// setMembers publishes GroupChanged; NOTIFY keeps order, so the feed refreshes its scope first.
		await callerAs(admin).groups.setMembers({ id: team.id, userIds: [agent.id] });
		const after = await makeTicket(admin, { groupId: team.id });
		await eventually(() => feed.seen.some((e) => e.ticketId === after.id));
		expect(feed.seen.some((e) => e.ticketId === before.id)).toBe(false);
	});
});
