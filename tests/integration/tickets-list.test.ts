import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { addEntry } from '../../src/lib/server/tickets/entries';
import { countTickets, listTickets } from '../../src/lib/server/tickets/list';
import { callerAs, makeUser } from '../helpers/factories';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';
import { errorShape, expectCode } from '../helpers/trpc';

/** A word no other test uses, so searches and tag filters see only this test's tickets. */
const marker = () => `m${randomUUID().replace(/-/g, '').slice(0, 10)}`;

/** An SLA policy that matches no ticket by itself: tests set the SLA columns they need. */
async function slaPolicy() {
	const calendar = await db().businessCalendar.create({
		data: { name: `24×7 ${randomUUID()}`, timeZone: 'UTC', alwaysOpen: true }
	});
	const targets = { firstResponse: 60, resolution: 480 };
	return db().slaPolicy.create({
		data: {
			name: `Policy ${randomUUID()}`,
			calendarId: calendar.id,
			conditions: { groupIds: [randomUUID()] },
			targets: { CRITICAL: targets, HIGH: targets, MEDIUM: targets, LOW: targets }
		}
	});
}

describe('listTickets', () => {
	it('shows each role only what it may see', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const member = await makeUser({ role: 'AGENT' });
		const outsider = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const team = await makeTeam([member]);
		const tag = marker();
		const own = await makeTicket(admin, { requesterId: user.id, groupId: team.id, tags: [tag] });
		const other = await makeTicket(admin, { groupId: team.id, tags: [tag] });
		const triage = await makeTicket(admin, { tags: [tag] });
		const assigned = await makeTicket(admin, {
			groupId: team.id,
			assigneeId: outsider.id,
			tags: [tag]
		});

		const numbers = async (u: typeof admin) =>
			(await listTickets(await scopeOf(u), { tags: [tag], sort: 'number', dir: 'asc' })).items.map(
				(t) => t.number
			);
		expect(await numbers(admin)).toEqual([own, other, triage, assigned].map((t) => t.number));
		expect(await numbers(member)).toEqual([own, other, triage, assigned].map((t) => t.number));
		expect(await numbers(outsider)).toEqual([triage, assigned].map((t) => t.number));
		expect(await numbers(user)).toEqual([own.number]);
	});

	it('filters by status, priority, assignee (me / none), group (none) and tags', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([agent]);
		const tag = marker();
		const a = await makeTicket(agent, {
			tags: [tag],
			priority: 'HIGH',
			assigneeId: agent.id,
			status: 'OPEN',
			groupId: team.id
		});
		const b = await makeTicket(agent, { tags: [tag, 'extra'], priority: 'LOW' });
		const scope = await scopeOf(agent);
		const ids = async (f: Parameters<typeof listTickets>[1]) =>
			(await listTickets(scope, { tags: [tag], ...f })).items.map((t) => t.id);
		expect(await ids({ status: ['OPEN'] })).toEqual([a.id]);
		expect(await ids({ priority: ['LOW', 'MEDIUM'] })).toEqual([b.id]);
		expect(await ids({ assignee: ['me'] })).toEqual([a.id]);
		expect(await ids({ assignee: ['none'] })).toEqual([b.id]);
		expect(await ids({ group: ['none'] })).toEqual([b.id]);
		expect(await ids({ group: [team.id] })).toEqual([a.id]);
		expect(await ids({ tags: [tag, 'extra'] })).toEqual([b.id]);
		expect(await ids({ createdFrom: new Date(Date.now() + 60_000) })).toEqual([]);
		expect((await countTickets(scope, { tags: [tag] })).count).toBe(2);
	});

	it('keyset pages walk every ticket exactly once in each sort order', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const tag = marker();
		const made = [];
		for (const priority of [
			'LOW',
			'HIGH',
			'MEDIUM',
			'HIGH',
			'CRITICAL',
			'LOW',
			'MEDIUM'
		] as const) {
			made.push(await makeTicket(admin, { tags: [tag], priority }));
		}
		const scope = await scopeOf(admin);
		for (const sort of ['updated', 'created', 'priority', 'number', 'sla'] as const) {
			for (const dir of ['asc', 'desc'] as const) {
				const seen: string[] = [];
				let cursor: string | undefined;
				do {
					const page = await listTickets(scope, { tags: [tag], sort, dir, limit: 3, cursor });
					seen.push(...page.items.map((t) => t.id));
					cursor = page.nextCursor ?? undefined;
				} while (cursor);
				expect(seen.sort(), `${sort} ${dir}`).toEqual(made.map((t) => t.id).sort());
			}
		}
		const byPriority = await listTickets(scope, { tags: [tag], sort: 'priority', dir: 'desc' });
		expect(byPriority.items.map((t) => t.priority).slice(0, 3)).toEqual([
			'CRITICAL',
			'HIGH',
			'HIGH'
		]);
	});

	it('sorts by SLA due: running clocks by next due, then paused, then no due; cursors round-trip', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const tag = marker();
		const policy = await slaPolicy();
		const now = Date.now();
		const min = (n: number) => new Date(now + n * 60_000);
		type Sla = {
			status?: 'NEW' | 'OPEN' | 'PENDING' | 'ON_HOLD' | 'RESOLVED';
			policy?: boolean;
			answered?: boolean;
			fr: Date | null;
			res: Date | null;
		};
		// Made in an order that matches no other sort, with the SLA columns set as they would be.
		const make = async ({ status = 'OPEN', policy: has = true, answered, fr, res }: Sla) => {
			const t = await makeTicket(admin, { tags: [tag] });
			await db().ticket.update({
				where: { id: t.id },
				data: {
					status,
					slaPolicyId: has ? policy.id : null,
					firstResponseAt: answered ? min(-60) : null,
					firstResponseDueAt: fr,
					resolutionDueAt: res
				}
			});
			return t.id;
		};
		const pausedLater = await make({ status: 'PENDING', fr: min(5), res: min(300) });
		const noPolicy = await make({ policy: false, fr: null, res: null });
		const answered = await make({ answered: true, fr: min(10), res: min(120) });
		const soon = await make({ status: 'NEW', fr: min(30), res: min(300) });
		const resolved = await make({ status: 'RESOLVED', fr: min(1), res: min(2) });
		const overdue = await make({ fr: min(-20), res: min(240) });
		const pausedSooner = await make({
			status: 'ON_HOLD',
			answered: true,
			fr: min(-5),
			res: min(1)
		});
		const resolutionFirst = await make({ fr: min(180), res: min(60) });

		const expected = [
			overdue, // first response 20 min overdue
			soon, // first response in 30 min
			resolutionFirst, // resolution (in 60 min) comes before its first response
			answered, // first response given: resolution in 2 h
			pausedSooner, // paused tickets after every running clock…
			pausedLater,
			...[noPolicy, resolved].sort() // …and tickets without a due last (by id)
		];
		const scope = await scopeOf(admin);
		const walk = async (dir: 'asc' | 'desc', limit: number) => {
			const seen: string[] = [];
			let cursor: string | undefined;
			do {
				const page = await listTickets(scope, { tags: [tag], sort: 'sla', dir, limit, cursor });
				seen.push(...page.items.map((t) => t.id));
				cursor = page.nextCursor ?? undefined;
			} while (cursor);
			return seen;
		};
		expect(await walk('asc', 50)).toEqual(expected);
		for (const limit of [1, 2, 3])
			expect(await walk('asc', limit), `limit ${limit}`).toEqual(expected);
		expect(await walk('desc', 3)).toEqual([...expected].reverse());

		// The same order through tRPC, and a tampered SLA cursor is refused.
		const first = await callerAs(admin).tickets.list({
			tags: [tag],
			sort: 'sla',
			dir: 'asc',
			limit: 4
		});
		expect(first.items.map((t) => t.id)).toEqual(expected.slice(0, 4));
		const [bucket, due, id] = JSON.parse(
			Buffer.from(first.nextCursor!, 'base64url').toString('utf8')
		) as [number, string, string];
		expect([bucket, due, id]).toEqual([0, min(120).toISOString(), answered]);
		const forged = Buffer.from(JSON.stringify([7, due, id])).toString('base64url');
		await expectCode(callerAs(admin).tickets.list({ sort: 'sla', cursor: forged }), 'BAD_REQUEST');
	});

	it('search pages are the same whether the matches fill the first window or not', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const tag = marker();
		const word = marker();
		const matching: string[] = [];
		// Matches are dense among the newest tickets and sparse among older ones.
		for (let i = 0; i < 24; i++) {
			const hit = i >= 14 || i % 4 === 0;
			const t = await makeTicket(admin, { tags: [tag], subject: hit ? `Disk ${word}` : 'Other' });
			if (hit) matching.push(t.id);
		}
		const newestFirst = [...matching].reverse();
		const scope = await scopeOf(admin);
		for (const window of [3, 6, 1000]) {
			const seen: string[] = [];
			let cursor: string | undefined;
			do {
				const page = await listTickets(
					scope,
					{ tags: [tag], q: word, sort: 'created', dir: 'desc', limit: 4, cursor },
					window
				);
				seen.push(...page.items.map((t) => t.id));
				cursor = page.nextCursor ?? undefined;
			} while (cursor);
			expect(seen, `window ${window}`).toEqual(newestFirst);
		}
	});

	it('searches subject, description and the conversation, tolerates typos, and finds by number', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const tag = marker();
		const word = marker();
		const printer = await makeTicket(agent, {
			tags: [tag],
			subject: `Printers on floor ${word} jam`
		});
		const vpn = await makeTicket(agent, {
			tags: [tag],
			subject: 'Remote access',
			description: 'The VPN client disconnects'
		});
		const convo = await makeTicket(agent, { tags: [tag], subject: 'Laptop issue' });
		await addEntry(
			{ scope: await scopeOf(agent) },
			{ ticket: convo.id, body: 'The keyboard backlight flickers' }
		);
		const scope = await scopeOf(agent);
		const search = async (q: string) =>
			(await listTickets(scope, { tags: [tag], q })).items.map((t) => t.id);
		expect(await search('printer')).toEqual([printer.id]);
		expect(await search(`${word} jam`)).toEqual([printer.id]);
		expect(await search('vpn disconnect')).toEqual([vpn.id]);
		expect(await search('backlight')).toEqual([convo.id]);
		expect(await search('flick')).toEqual([convo.id]);
		expect(await search('pritner')).toEqual([printer.id]);
		expect(await search(`#${vpn.number}`)).toEqual([vpn.id]);
		expect(await search('!!!')).toHaveLength(3);
	});

	it('hides merged tickets unless asked', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const tag = marker();
		const target = await makeTicket(admin, { tags: [tag] });
		const merged = await makeTicket(admin, { tags: [tag] });
		await db().ticket.update({ where: { id: merged.id }, data: { mergedIntoId: target.id } });
		const scope = await scopeOf(admin);
		expect((await listTickets(scope, { tags: [tag] })).items.map((t) => t.id)).toEqual([target.id]);
		expect((await listTickets(scope, { tags: [tag], includeMerged: true })).items).toHaveLength(2);
	});

	it('a forged cursor is a 400 with a field message, not a 500', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		for (const cursor of [
			'nope',
			Buffer.from('[1,2]').toString('base64url'),
			Buffer.from('["x","y"]').toString('base64url')
		]) {
			const err = await expectCode(callerAs(agent).tickets.list({ cursor }), 'BAD_REQUEST');
			expect(errorShape(err, 'tickets.list').data.fields).toEqual({
				cursor: ['The page cursor is not valid.']
			});
		}
	});
});
