import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { startBus } from '../../src/lib/server/realtime/bus';
import { bulkUpdate } from '../../src/lib/server/tickets/bulk';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCallerFactory, router } from '../../src/lib/server/trpc/init';
import { ticketBulkRouter } from '../../src/lib/server/trpc/routers/ticketBulk';
import { makeUser, sessionUserOf, subscriberAs, type TestUser } from '../helpers/factories';
import { nextMatching } from '../helpers/async';
import { errorShape, expectCode } from '../helpers/trpc';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';

// The router on its own, so these tests do not depend on where the root router mounts it.
const callerOf = createCallerFactory(router({ ticketBulk: ticketBulkRouter }));
const as = (u: TestUser) => callerOf(createContext({ user: sessionUserOf(u) })).ticketBulk;
const rows = (ids: string[]) =>
	db().ticket.findMany({ where: { id: { in: ids } }, orderBy: { number: 'asc' } });

beforeAll(() => startBus());
const controllers: AbortController[] = [];
afterEach(() => {
	for (const c of controllers.splice(0)) c.abort();
});

describe('bulk ticket actions', () => {
	it('sets the priority of many tickets, each with its own history row and a new version', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const a = await makeTicket(agent, { priority: 'LOW' });
		const b = await makeTicket(agent, { priority: 'MEDIUM' });
		const result = await as(agent).update({ ids: [a.id, b.id], priority: 'HIGH' });
		expect(result).toEqual({ updated: 2, unchanged: 0, skipped: [] });
		const after = await rows([a.id, b.id]);
		expect(after.map((t) => [t.priority, t.version])).toEqual([
			['HIGH', a.version + 1],
			['HIGH', b.version + 1]
		]);
		const history = await db().ticketEvent.findMany({
			where: { ticketId: { in: [a.id, b.id] }, field: 'priority' }
		});
		expect(history.map((h) => [h.ticketId, h.fromValue, h.toValue, h.actorId]).sort()).toEqual(
			[
				[a.id, 'LOW', 'HIGH', agent.id],
				[b.id, 'MEDIUM', 'HIGH', agent.id]
			].sort()
		);
	});

	it('each changed ticket is announced live, like a single edit', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const c = new AbortController();
		controllers.push(c);
		const feed = (await subscriberAs(agent, c.signal).tickets.changes())[Symbol.asyncIterator]();
		const t = await makeTicket(agent);
		const heard = nextMatching(feed, (e) => e.ticketId === t.id && e.type === 'updated');
		await as(agent).update({ ids: [t.id], status: 'OPEN' });
		expect(await heard).toMatchObject({ number: t.number, fields: ['status'], actorId: agent.id });
	});

	it('only tickets in the caller’s scope change; the others are skipped without their number', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const admin = await makeUser({ role: 'ADMIN' });
		const theirs = await makeTeam([]);
		const mine = await makeTicket(admin, { assigneeId: agent.id, groupId: theirs.id });
		const hidden = await makeTicket(admin, { groupId: theirs.id, status: 'OPEN' });
		const missing = randomUUID();
		const result = await as(agent).update({
			ids: [mine.id, hidden.id, missing],
			status: 'PENDING'
		});
		expect(result.updated).toBe(1);
		expect(result.skipped).toEqual(
			expect.arrayContaining([
				{ id: hidden.id, number: null, reason: 'Not found, or not visible to you.' },
				{ id: missing, number: null, reason: 'Not found, or not visible to you.' }
			])
		);
		expect(JSON.stringify(result)).not.toContain(`${hidden.number}`);
		const [m, h] = await Promise.all([
			db().ticket.findUniqueOrThrow({ where: { id: mine.id } }),
			db().ticket.findUniqueOrThrow({ where: { id: hidden.id } })
		]);
		expect([m.status, h.status]).toEqual(['PENDING', 'OPEN']);
	});

	it('adds and removes tags on each ticket, keeping the tags it already had', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const a = await makeTicket(agent, { tags: ['vpn', 'urgent'] });
		const b = await makeTicket(agent, { tags: ['printer'] });
		const result = await as(agent).update({
			ids: [a.id, b.id],
			addTags: ['Follow-up', 'vpn'],
			removeTags: ['urgent']
		});
		expect(result).toMatchObject({ updated: 2, skipped: [] });
		const after = await rows([a.id, b.id]);
		expect(after.map((t) => t.tags)).toEqual([
			['vpn', 'follow-up'],
			['printer', 'follow-up', 'vpn']
		]);
	});

	it('assigns a group and an agent; a non-agent assignee is refused before anything changes', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const colleague = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([agent, colleague]);
		const a = await makeTicket(agent);
		const b = await makeTicket(agent);
		const endUser = await makeUser({ role: 'END_USER' });
		const err = await expectCode(
			as(agent).update({ ids: [a.id, b.id], assigneeId: endUser.id }),
			'BAD_REQUEST'
		);
		expect(errorShape(err, 'ticketBulk.update').data.fields).toEqual({
			assigneeId: ['Tickets can only be assigned to active agents.']
		});
		await expectCode(as(agent).update({ ids: [a.id], groupId: randomUUID() }), 'BAD_REQUEST');
		expect((await rows([a.id, b.id])).every((t) => t.assigneeId === null)).toBe(true);

		const result = await as(agent).update({
			ids: [a.id, b.id],
			groupId: team.id,
			assigneeId: colleague.id
		});
		expect(result.updated).toBe(2);
		expect((await rows([a.id, b.id])).map((t) => [t.groupId, t.assigneeId])).toEqual([
			[team.id, colleague.id],
			[team.id, colleague.id]
		]);
		// Unassigning works the same way.
		await as(agent).update({ ids: [a.id], assigneeId: null });
		expect((await rows([a.id]))[0]?.assigneeId).toBeNull();
	});

	it('tickets that already have the value are counted as unchanged, with no history', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const a = await makeTicket(agent, { priority: 'HIGH' });
		const b = await makeTicket(agent, { priority: 'LOW' });
		const result = await as(agent).update({ ids: [a.id, b.id, a.id], priority: 'HIGH' });
		expect(result).toEqual({ updated: 1, unchanged: 1, skipped: [] });
		expect(await db().ticketEvent.count({ where: { ticketId: a.id, field: 'priority' } })).toBe(0);
	});

	it('a ticket merged into another is skipped with the reason; the rest apply', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const target = await makeTicket(agent);
		const merged = await makeTicket(agent);
		const plain = await makeTicket(agent);
		await db().ticket.update({ where: { id: merged.id }, data: { mergedIntoId: target.id } });
		const result = await as(agent).update({ ids: [merged.id, plain.id], status: 'RESOLVED' });
		expect(result).toEqual({
			updated: 1,
			unchanged: 0,
			skipped: [{ id: merged.id, number: merged.number, reason: `Merged into #${target.number}.` }]
		});
	});

	it('tags are re-read when another agent changed the ticket in between (nothing lost)', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent, { tags: ['a'] });
		const scope = await scopeOf(agent);
		// Another change lands between the scope check and the write: the version moved on.
		const stale = db().ticket.findMany;
		let first = true;
		db().ticket.findMany = (async (args: Parameters<typeof stale>[0]) => {
			const found = await stale.call(db().ticket, args);
			if (first && found.length === 1 && found[0]?.id === t.id) {
				first = false;
				await db().ticket.update({
					where: { id: t.id },
					data: { tags: ['a', 'b'], version: { increment: 1 } }
				});
			}
			return found;
		}) as typeof stale;
		try {
			const result = await bulkUpdate(scope, { ids: [t.id], addTags: ['c'] });
			expect(result).toMatchObject({ updated: 1, skipped: [] });
		} finally {
			db().ticket.findMany = stale;
		}
		expect((await rows([t.id]))[0]?.tags).toEqual(['a', 'b', 'c']);
	});

	it('a ticket that keeps changing under a tag edit is skipped with the conflict, after retries', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Busy Bee' });
		const t = await makeTicket(agent, { tags: ['a'] });
		const other = await makeTicket(agent, { tags: ['a'] });
		const scope = await scopeOf(agent);
		const real = db().ticket.findMany;
		// Every read of `t` is followed at once by someone else's save.
		db().ticket.findMany = (async (args: Parameters<typeof real>[0]) => {
			const found = await real.call(db().ticket, args);
			if (found.some((r) => r.id === t.id)) {
				await db().ticket.update({ where: { id: t.id }, data: { version: { increment: 1 } } });
			}
			return found;
		}) as typeof real;
		try {
			const result = await bulkUpdate(scope, { ids: [t.id, other.id], addTags: ['b'] });
			expect(result.updated).toBe(1);
			expect(result.skipped).toEqual([
				{ id: t.id, number: t.number, reason: expect.stringMatching(/was changed by .* Reload/) }
			]);
		} finally {
			db().ticket.findMany = real;
		}
		expect((await rows([t.id]))[0]?.tags).toEqual(['a']);
	});

	it('an unexpected failure on one ticket is reported for it and the others still change', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent, { tags: ['a'] });
		const other = await makeTicket(agent);
		const scope = await scopeOf(agent);
		const realFind = db().ticket.findMany;
		const realEvent = db().ticketEvent.findFirst;
		db().ticket.findMany = (async (args: Parameters<typeof realFind>[0]) => {
			const found = await realFind.call(db().ticket, args);
			if (found.some((r) => r.id === t.id)) {
				await db().ticket.update({ where: { id: t.id }, data: { version: { increment: 1 } } });
			}
			return found;
		}) as typeof realFind;
		db().ticketEvent.findFirst = (() => {
			throw new Error('disk on fire');
		}) as unknown as typeof realEvent;
		try {
			const result = await bulkUpdate(scope, { ids: [t.id, other.id], addTags: ['b'] });
			expect(result.updated).toBe(1);
			expect(result.skipped).toEqual([
				{
					id: t.id,
					number: t.number,
					reason: 'Could not be changed because of an error on our side.'
				}
			]);
		} finally {
			db().ticket.findMany = realFind;
			db().ticketEvent.findFirst = realEvent;
		}
	});

	it('rows: fresh list rows with their versions, only for tickets the caller may see', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const admin = await makeUser({ role: 'ADMIN' });
		const mine = await makeTicket(agent, { priority: 'LOW' });
		const hidden = await makeTicket(admin, { groupId: (await makeTeam([])).id });
		await as(agent).update({ ids: [mine.id], priority: 'HIGH' });
		const rows = await as(agent).rows({ ids: [mine.id, hidden.id] });
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			id: mine.id,
			number: mine.number,
			priority: 'HIGH',
			version: mine.version + 1,
			requester: { id: agent.id }
		});
	});

	it('asks for a change and at most 500 tickets; end users may not bulk-edit', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		const none = await expectCode(as(agent).update({ ids: [t.id] }), 'BAD_REQUEST');
		expect(errorShape(none, 'ticketBulk.update').data.fields?._form).toEqual([
			'Choose a change to apply.'
		]);
		const many = Array.from({ length: 501 }, () => randomUUID());
		const tooMany = await expectCode(
			as(agent).update({ ids: many, priority: 'LOW' }),
			'BAD_REQUEST'
		);
		expect(errorShape(tooMany, 'ticketBulk.update').data.fields?.ids).toEqual([
			'At most 500 tickets at once.'
		]);
		const user = await makeUser({ role: 'END_USER' });
		await expectCode(as(user).update({ ids: [t.id], priority: 'LOW' }), 'FORBIDDEN');
		await expect(
			bulkUpdate(await scopeOf(user), { ids: [t.id], priority: 'LOW' })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});
