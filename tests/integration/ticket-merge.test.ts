import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { events } from '../../src/lib/server/realtime/bus';
import type { AppEvent } from '../../src/lib/server/realtime/events';
import { addEntry } from '../../src/lib/server/tickets/entries';
import { listTickets } from '../../src/lib/server/tickets/list';
import { mergeTickets } from '../../src/lib/server/tickets/merge';
import { getTicket } from '../../src/lib/server/tickets/queries';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCallerFactory } from '../../src/lib/server/trpc/init';
import { ticketRelationsRouter } from '../../src/lib/server/trpc/routers/ticketRelations';
import { toSessionUser } from '../../src/lib/server/identity/sessions';
import { makeUser, type TestUser } from '../helpers/factories';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';
import { nextMatching } from '../helpers/async';

const relationsAs = (u: TestUser) =>
	createCallerFactory(ticketRelationsRouter)(createContext({ user: toSessionUser(u) }));

describe('merging tickets', () => {
	it('moves the conversation and attachments to the target, keeping their dates, and closes the sources', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Dana Agent' });
		const target = await makeTicket(agent, { tags: ['vpn'] });
		const a = await makeTicket(agent, { tags: ['remote'] });
		const b = await makeTicket(agent, { status: 'OPEN' });
		const scope = await scopeOf(agent);
		const early = await addEntry({ scope }, { ticket: a.id, kind: 'REPLY', body: 'First on A' });
		await addEntry({ scope }, { ticket: b.id, kind: 'NOTE', body: 'Note on B' });
		const file = await db().attachment.create({
			data: {
				ticketId: a.id,
				filename: 'log.txt',
				contentType: 'text/plain',
				size: 3n,
				sha256: 'x',
				storageKey: `merge-${a.id}`
			}
		});

		const result = await mergeTickets(scope, { target: target.number, sources: [a.number, b.id] });
		expect(result).toEqual({
			target: { id: target.id, number: target.number },
			merged: [a.number, b.number]
		});

		const moved = await db().ticketEntry.findUniqueOrThrow({ where: { id: early.id } });
		expect(moved.ticketId).toBe(target.id);
		expect(moved.createdAt).toEqual(early.createdAt);
		expect((await db().attachment.findUniqueOrThrow({ where: { id: file.id } })).ticketId).toBe(
			target.id
		);

		const page = await getTicket(scope, target.number);
		const bodies = page.entries.map((e) => e.bodyHtml);
		expect(bodies.some((h) => h.includes('First on A'))).toBe(true);
		expect(bodies.some((h) => h.includes('Note on B'))).toBe(true);
		const note = page.entries.at(-1)!;
		expect(note.kind).toBe('NOTE');
		expect(note.bodyHtml).toContain(`Merged #${a.number}, #${b.number} into this ticket.`);
		expect(page.tags.sort()).toEqual(['remote', 'vpn']);
		expect(page.mergedFrom.map((t) => t.number).sort()).toEqual([a.number, b.number].sort());

		for (const s of [a, b]) {
			const row = await db().ticket.findUniqueOrThrow({
				where: { id: s.id },
				include: { entries: true }
			});
			expect(row).toMatchObject({ mergedIntoId: target.id, status: 'CLOSED' });
			expect(row.closedAt).toBeInstanceOf(Date);
			expect(row.version).toBeGreaterThan(s.version);
			expect(row.entries.map((e) => [e.kind, e.body])).toEqual([
				['NOTE', `Merged into #${target.number}.`]
			]);
		}
	});

	it('writes history on both sides and makes the sources searchable through the target', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Dana Agent' });
		const target = await makeTicket(agent);
		const source = await makeTicket(agent, { status: 'OPEN' });
		const scope = await scopeOf(agent);
		await addEntry({ scope }, { ticket: source.id, body: 'zanzibarquokka keeps crashing' });
		await mergeTickets(scope, { target: target.id, sources: [source.id] });

		const onTarget = await db().ticketEvent.findMany({
			where: { ticketId: target.id, field: 'merged' }
		});
		expect(onTarget.map((e) => [e.toValue, e.actorId])).toEqual([[`#${source.number}`, agent.id]]);
		const onSource = await db().ticketEvent.findMany({
			where: { ticketId: source.id, field: { in: ['mergedInto', 'status'] } },
			orderBy: { id: 'asc' }
		});
		expect(onSource.slice(-2).map((e) => [e.field, e.fromValue, e.toValue])).toEqual([
			['mergedInto', null, `#${target.number}`],
			['status', 'OPEN', 'CLOSED']
		]);

		const found = await listTickets(scope, { q: 'zanzibarquokka', includeMerged: true });
		expect(found.items.map((t) => t.id)).toEqual([target.id]);
	});

	it('combines the watchers of every ticket on the target', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const other = await makeUser({ role: 'AGENT' });
		const target = await makeTicket(agent, { watcherIds: [agent.id] });
		const source = await makeTicket(agent, { watcherIds: [other.id, agent.id] });
		await mergeTickets(await scopeOf(agent), { target: target.id, sources: [source.id] });
		const watchers = await db().ticketWatcher.findMany({ where: { ticketId: target.id } });
		expect(watchers.map((w) => w.userId).sort()).toEqual([agent.id, other.id].sort());
	});

	it('refuses to merge a ticket into itself', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		await expect(
			mergeTickets(await scopeOf(agent), { target: t.number, sources: [`#${t.number}`] })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'A ticket cannot be merged into itself.'
		});
	});

	it('refuses a target that was itself merged, and sources that were already merged', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const scope = await scopeOf(agent);
		const [t1, t2, t3, t4] = await Promise.all([1, 2, 3, 4].map(() => makeTicket(agent)));
		await mergeTickets(scope, { target: t1!.id, sources: [t2!.id] });
		await expect(mergeTickets(scope, { target: t2!.id, sources: [t3!.id] })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: `#${t2!.number} was itself merged into #${t1!.number}. Merge into that ticket instead.`
		});
		await expect(
			mergeTickets(scope, { target: t4!.id, sources: [t3!.id, t2!.id] })
		).rejects.toMatchObject({
			code: 'CONFLICT',
			message: `#${t2!.number} was already merged into #${t1!.number}.`
		});
		// Nothing of the refused merge was written.
		expect(
			(await db().ticket.findUniqueOrThrow({ where: { id: t3!.id } })).mergedIntoId
		).toBeNull();
	});

	it('two agents merging the same source at the same moment: exactly one wins', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const scope = await scopeOf(agent);
		const [x, y, s] = await Promise.all([1, 2, 3].map(() => makeTicket(agent)));
		const results = await Promise.allSettled([
			mergeTickets(scope, { target: x!.id, sources: [s!.id] }),
			mergeTickets(scope, { target: y!.id, sources: [s!.id] })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(failed.reason).toMatchObject({ code: 'CONFLICT' });
		const notes = await db().ticketEntry.count({ where: { ticketId: s!.id } });
		expect(notes).toBe(1);
	});

	it('a merged source that had tickets merged into it hands them on to the new target', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const scope = await scopeOf(agent);
		const [top, mid, low] = await Promise.all([1, 2, 3].map(() => makeTicket(agent)));
		await mergeTickets(scope, { target: mid!.id, sources: [low!.id] });
		await mergeTickets(scope, { target: top!.id, sources: [mid!.id] });
		const lowRow = await db().ticket.findUniqueOrThrow({ where: { id: low!.id } });
		expect(lowRow.mergedIntoId).toBe(top!.id);
	});

	it('only tickets the agent can see: a ticket of another team is not found, and nothing moves', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const outsider = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([outsider]);
		const mine = await makeTicket(agent);
		const theirs = await makeTicket(outsider, { groupId: team.id });
		await expect(
			mergeTickets(await scopeOf(agent), { target: mine.id, sources: [theirs.id] })
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(
			mergeTickets(await scopeOf(agent), { target: theirs.id, sources: [mine.id] })
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
		expect(
			(await db().ticket.findUniqueOrThrow({ where: { id: theirs.id } })).mergedIntoId
		).toBeNull();
	});

	it('an end user may not merge, even their own tickets', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const a = await makeTicket(user);
		const b = await makeTicket(user);
		await expect(
			mergeTickets(await scopeOf(user), { target: a.id, sources: [b.id] })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('the router merges and publishes TicketUpdated for the target and every source', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const target = await makeTicket(agent);
		const source = await makeTicket(agent);
		const ac = new AbortController();
		const stream = events(ac.signal)[Symbol.asyncIterator]();
		try {
			const seen: AppEvent[] = [];
			const done = relationsAs(agent).merge({ target: target.number, sources: [source.number] });
			const isMine = (e: AppEvent) =>
				e.type === 'TicketUpdated' && (e.ticketId === target.id || e.ticketId === source.id);
			seen.push(await nextMatching(stream, isMine));
			seen.push(await nextMatching(stream, isMine));
			await done;
			expect(seen.map((e) => (e.type === 'TicketUpdated' ? [e.ticketId, e.fields] : null))).toEqual(
				[
					[target.id, ['merged']],
					[source.id, ['mergedInto', 'status']]
				]
			);
		} finally {
			ac.abort();
		}
	});

	it('the router refuses an empty list of sources with a field message', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		await expect(relationsAs(agent).merge({ target: t.id, sources: [] })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
	});
});
