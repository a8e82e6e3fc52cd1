import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { listTickets } from '../../src/lib/server/tickets/list';
import { getTicket, ticketHistory } from '../../src/lib/server/tickets/queries';
import { makeGroup, makeUser, type TestUser } from '../helpers/factories';
import { makeTicket, scopeOf } from '../helpers/tickets';

/**
 * No N+1: the ticket list and the ticket page run a fixed number of SQL statements whatever the
 * number of rows. Statements are counted where every one passes, `pg.Client#query` (Prisma's
 * adapter and the raw pool both go through it); tests in this file run one after another, and
 * other files run in other processes, so the count is this file's own.
 */
type Query = (...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as unknown as Query;
let counting = false;
let count = 0;

beforeAll(() => {
	pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
		if (counting) count++;
		return original.apply(this, args);
	} as unknown as typeof pg.Client.prototype.query;
});

afterAll(() => {
	pg.Client.prototype.query = original as unknown as typeof pg.Client.prototype.query;
});

/** How many SQL statements `fn` runs (and its result, so the test can check it did the work). */
async function queriesOf<T>(fn: () => Promise<T>): Promise<{ n: number; result: T }> {
	await fn(); // warm: nothing cached on a first call may count
	count = 0;
	counting = true;
	try {
		const result = await fn();
		return { n: count, result };
	} finally {
		counting = false;
	}
}

/** Users with distinct rows, so per-row lookups of people would show up as more statements. */
const people = (n: number, role: 'AGENT' | 'END_USER') =>
	Promise.all(Array.from({ length: n }, () => makeUser({ role })));

/** A conversation of `n` entries by rotating authors, with attachments, watchers, links, history. */
async function withConversation(ticketId: string, n: number, authors: TestUser[]) {
	const entries = Array.from({ length: n }, (_, i) => ({
		id: randomUUID(),
		ticketId,
		authorId: authors[i % authors.length]!.id,
		kind: i % 3 === 2 ? ('NOTE' as const) : ('REPLY' as const),
		body: `Message ${i}`,
		bodyHtml: `<p>Message ${i}</p>`,
		source: 'AGENT' as const,
		createdAt: new Date(Date.now() + i * 1000)
	}));
	await db().ticketEntry.createMany({ data: entries });
	await db().attachment.createMany({
		data: entries
			.filter((_, i) => i % 3 === 0)
			.map((e) => ({
				ticketId,
				entryId: e.id,
				filename: `log-${e.id}.txt`,
				contentType: 'text/plain',
				size: 10n,
				sha256: 'x'.repeat(64),
				storageKey: `test/${randomUUID()}`
			}))
	});
	await db().ticketWatcher.createMany({
		data: authors.slice(0, Math.ceil(n / 10)).map((a) => ({ ticketId, userId: a.id }))
	});
	await db().ticketEvent.createMany({
		data: entries.map((e, i) => ({
			ticketId,
			actorId: e.authorId,
			field: 'status',
			fromValue: i % 2 ? 'OPEN' : 'PENDING',
			toValue: i % 2 ? 'PENDING' : 'OPEN'
		}))
	});
}

describe('query counts (no N+1)', () => {
	it('the ticket list runs the same few statements for 5 rows as for 50', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const agents = await people(5, 'AGENT');
		const requesters = await people(50, 'END_USER');
		const group = await makeGroup();
		for (const [i, r] of requesters.entries()) {
			await makeTicket(admin, {
				requesterId: r.id,
				groupId: group.id,
				assigneeId: agents[i % agents.length]!.id,
				priority: i % 2 ? 'HIGH' : 'LOW'
			});
		}
		const scope = await scopeOf(admin);
		const list = (limit: number) => () => listTickets(scope, { group: [group.id], limit });

		const five = await queriesOf(list(5));
		const fifty = await queriesOf(list(50));
		expect(five.result.items).toHaveLength(5);
		expect(fifty.result.items).toHaveLength(50);
		expect(new Set(fifty.result.items.map((t) => t.requester.id)).size).toBe(50);
		expect(five.n).toBeGreaterThan(0);
		expect(fifty.n).toBe(five.n);
		// Two: the keyset query, then the page's rows with their relations joined (relationJoins).
		expect(fifty.n).toBeLessThanOrEqual(2);

		// Page 2 through the cursor, and a search, stay flat too.
		const page2 = await queriesOf(() =>
			listTickets(scope, { group: [group.id], limit: 20, cursor: five.result.nextCursor! })
		);
		expect(page2.result.items).toHaveLength(20);
		expect(page2.n).toBe(five.n);
	});

	it('the ticket page runs the same statements for 3 entries as for 30, for staff and requester', async () => {
		const agent = await makeUser({ role: 'ADMIN' });
		const requester = await makeUser({ role: 'END_USER' });
		const authors = [requester, ...(await people(9, 'AGENT'))];
		const small = await makeTicket(agent, { requesterId: requester.id });
		const big = await makeTicket(agent, { requesterId: requester.id });
		await withConversation(small.id, 3, authors);
		await withConversation(big.id, 30, authors);
		for (const other of [small, big]) {
			const linked = await makeTicket(agent);
			await db().ticketLink.create({
				data: { fromId: other.id, toId: linked.id, kind: 'RELATED' }
			});
		}

		for (const viewer of [agent, requester]) {
			const scope = await scopeOf(viewer);
			const a = await queriesOf(() => getTicket(scope, small.number));
			const b = await queriesOf(() => getTicket(scope, big.number));
			expect(b.result.entries.length).toBe(viewer === agent ? 30 : 20);
			expect(a.n).toBeGreaterThan(0);
			expect(b.n).toBe(a.n);
			// One: the ticket with entries, authors, attachments, watchers, links… joined.
			expect(b.n).toBeLessThanOrEqual(2);
		}

		const staff = await scopeOf(agent);
		const h1 = await queriesOf(() => ticketHistory(staff, small.number));
		const h2 = await queriesOf(() => ticketHistory(staff, big.number));
		expect(h2.result.length).toBeGreaterThan(30);
		expect(h2.n).toBe(h1.n);
		expect(h2.n).toBeLessThanOrEqual(3);
	});
});
