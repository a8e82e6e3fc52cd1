import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBus } from '../../src/lib/server/realtime/bus';
import { addEntry } from '../../src/lib/server/tickets/entries';
import { updateTicket } from '../../src/lib/server/tickets/update';
import { callerAs, makeUser, subscriberAs } from '../helpers/factories';
import { nextMatching, TIMED_OUT, within } from '../helpers/async';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';

beforeAll(() => startBus());
const controllers: AbortController[] = [];
afterEach(() => {
	for (const c of controllers.splice(0)) c.abort();
});
function signal() {
	const c = new AbortController();
	controllers.push(c);
	return c.signal;
}
const iterate = <T>(it: AsyncIterable<T>) => it[Symbol.asyncIterator]();

describe('tickets.changes (live updates)', () => {
	it("reaches agents of the ticket's group, not agents of other groups", async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const member = await makeUser({ role: 'AGENT' });
		const outsider = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([member]);
		await makeTeam([outsider]);
		const mine = iterate(await subscriberAs(member, signal()).tickets.changes());
		const theirs = iterate(await subscriberAs(outsider, signal()).tickets.changes());
		const outsiderNext = theirs.next();
		const t = await makeTicket(admin, { groupId: team.id });
		expect(await nextMatching(mine, (e) => e.ticketId === t.id)).toMatchObject({
			type: 'created',
			number: t.number
		});
		// The outsider hears nothing about it (other tests' triage tickets may pass; never this one).
		const got = await within(outsiderNext, 500);
		if (got !== TIMED_OUT) expect(got.value?.ticketId).not.toBe(t.id);
	});

	it('an end user hears about public replies on their ticket, never about internal notes', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id });
		const feed = iterate(await subscriberAs(user, signal()).tickets.changes({ ticket: t.number }));
		const first = feed.next();
		await addEntry(
			{ scope: await scopeOf(agent) },
			{ ticket: t.id, kind: 'NOTE', body: 'internal' }
		);
		expect(await within(first, 500)).toBe(TIMED_OUT);
		await addEntry({ scope: await scopeOf(agent) }, { ticket: t.id, body: 'public' });
		expect(await within(first, 5000)).toMatchObject({
			value: { type: 'entry', kind: 'REPLY', ticketId: t.id }
		});
	});

	it('following one ticket yields its updates and staff presence, not other tickets', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Watcher Wendy' });
		const colleague = await makeUser({ role: 'AGENT', name: 'Colleague Carl' });
		const t = await makeTicket(agent);
		const other = await makeTicket(agent);
		const feed = iterate(await subscriberAs(agent, signal()).tickets.changes({ ticket: t.id }));
		const pending = feed.next();
		await updateTicket(await scopeOf(agent), { ticket: other.id, priority: 'HIGH' });
		await updateTicket(await scopeOf(colleague), { ticket: t.id, priority: 'LOW' });
		expect(await within(pending, 5000)).toMatchObject({
			value: { type: 'updated', ticketId: t.id, fields: ['priority'] }
		});
		await callerAs(colleague).tickets.presence({ ticket: t.number, state: 'replying' });
		expect(await nextMatching(feed, (e) => e.type === 'presence')).toMatchObject({
			user: { name: 'Colleague Carl' },
			state: 'replying'
		});
	});

	it('an end user cannot follow a ticket that is not theirs, nor announce presence', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent);
		await expect(
			subscriberAs(user, signal()).tickets.changes({ ticket: t.id })
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(
			callerAs(user).tickets.presence({ ticket: t.id, state: 'viewing' })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it("joining a group starts the agent's feed for that group without reconnecting", async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const agent = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([]);
		const feed = iterate(await subscriberAs(agent, signal()).tickets.changes());
		await callerAs(admin).groups.setMembers({ id: team.id, userIds: [agent.id] });
		// setMembers publishes GroupChanged; NOTIFY keeps order, so the feed refreshes its scope first.
		const t = await makeTicket(admin, { groupId: team.id });
		expect(await nextMatching(feed, (e) => e.ticketId === t.id)).toMatchObject({ type: 'created' });
	});
});
