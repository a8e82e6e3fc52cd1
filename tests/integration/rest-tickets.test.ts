import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { db } from '../../src/lib/server/db/client';
import { authenticate } from '../../src/lib/server/http/auth';
import { createApiKey } from '../../src/lib/server/identity/apikeys';
import { addEntry } from '../../src/lib/server/tickets/entries';
import {
	restLimiter,
	restLimitKey,
	REST_RATE_LIMIT
} from '../../src/lib/server/tickets/rest-limit';
import { inRestTerms } from '../../src/lib/server/tickets/rest-refs';
import {
	restCommentSchema,
	restTicketDetailSchema,
	restTicketPageSchema,
	restTicketSchema
} from '../../src/lib/server/tickets/rest-schemas';
import * as ticketsRoute from '../../src/routes/api/v1/tickets/+server';
import * as ticketRoute from '../../src/routes/api/v1/tickets/[number]/+server';
import * as commentsRoute from '../../src/routes/api/v1/tickets/[number]/comments/+server';
import { makeUser, sessionUserOf, uniqueEmail, type TestUser } from '../helpers/factories';
import { fakeEvent } from '../helpers/http';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';

type Handler = (event: never) => Promise<Response>;

interface Call {
	key?: string | null;
	method?: string;
	path?: string;
	params?: Record<string, string>;
	body?: unknown;
	raw?: BodyInit;
	headers?: Record<string, string>;
}

/** Calls a route handler in-process the way hooks.server.ts would (bearer key → locals.user). */
async function api(handler: Handler, c: Call) {
	const { event } = fakeEvent({
		url: `http://localhost/api/v1${c.path ?? '/tickets'}`,
		method: c.method ?? 'GET',
		headers: { ...(c.key ? { authorization: `Bearer ${c.key}` } : {}), ...c.headers },
		body: c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body))
	});
	(event as { params: Record<string, string> }).params = c.params ?? {};
	await authenticate(event);
	const res = await handler(event as never);
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const keyOf = async (user: TestUser) => (await createApiKey({ id: null }, user.id, 'test')).key;
const create = (key: string, body: unknown, headers?: Record<string, string>) =>
	api(ticketsRoute.POST as Handler, { key, method: 'POST', body, headers });
const list = (key: string, query = '') =>
	api(ticketsRoute.GET as Handler, { key, path: `/tickets${query}` });
const get = (key: string, number: number | string) =>
	api(ticketRoute.GET as Handler, {
		key,
		path: `/tickets/${number}`,
		params: { number: String(number) }
	});
const patch = (key: string, number: number, body: unknown, headers?: Record<string, string>) =>
	api(ticketRoute.PATCH as Handler, {
		key,
		method: 'PATCH',
		path: `/tickets/${number}`,
		params: { number: String(number) },
		body,
		headers
	});
const comment = (key: string, number: number, body: unknown) =>
	api(commentsRoute.POST as Handler, {
		key,
		method: 'POST',
		path: `/tickets/${number}/comments`,
		params: { number: String(number) },
		body
	});
const comments = (key: string, number: number) =>
	api(commentsRoute.GET as Handler, {
		key,
		path: `/tickets/${number}/comments`,
		params: { number: String(number) }
	});

const unique = (what: string) => `${what} ${randomUUID().slice(0, 8)}`;

describe('REST /api/v1/tickets', () => {
	let agent: TestUser;
	let agentKey: string;
	let endUser: TestUser;
	let endUserKey: string;
	let typeName: string;

	beforeAll(async () => {
		agent = await makeUser({ role: 'AGENT' });
		endUser = await makeUser({ role: 'END_USER' });
		[agentKey, endUserKey] = await Promise.all([keyOf(agent), keyOf(endUser)]);
		typeName = unique('Incident');
		await db().ticketType.create({ data: { name: typeName } });
	});

	describe('POST /tickets', () => {
		it('opens a ticket as the key’s agent: 201, the documented shape, lower-case enums, an absolute link', async () => {
			const res = await create(agentKey, {
				subject: 'VPN drops 🔌 every few minutes',
				description: 'Since this morning — ünïcödé welcome.',
				priority: 'high',
				type: typeName.toUpperCase(),
				tags: ['VPN', 'remote'],
				requester: { email: uniqueEmail('maya'), name: 'Maya' }
			});
			expect(res.status).toBe(201);
			const ticket = restTicketSchema.parse(res.body);
			expect(ticket).toMatchObject({
				subject: 'VPN drops 🔌 every few minutes',
				status: 'new',
				priority: 'high',
				source: 'api',
				type: { name: typeName },
				tags: ['vpn', 'remote'],
				assignee: null,
				group: null,
				version: 1,
				url: `http://localhost/app/tickets/${ticket.number}`
			});
			expect(ticket.requester.name).toBe('Maya');
			expect(res.headers.get('location')).toBe(`http://localhost/api/v1/tickets/${ticket.number}`);
			expect(res.headers.get('etag')).toBe('"1"');
			expect(Number(res.headers.get('ratelimit-remaining'))).toBeLessThan(REST_RATE_LIMIT);
		});

		it('staff keys set assignee by email or "me", group by name and status', async () => {
			const team = await makeTeam([agent]);
			const res = await create(agentKey, {
				subject: 'Assigned at once',
				description: 'x',
				assignee: agent.email.toUpperCase(),
				group: team.name.toLowerCase(),
				status: 'open'
			});
			expect(res.status).toBe(201);
			expect(res.body).toMatchObject({
				status: 'open',
				assignee: { id: agent.id, email: agent.email },
				group: { id: team.id }
			});
			const me = await create(agentKey, { subject: 'Mine', description: 'x', assignee: 'me' });
			expect(me.body.assignee.id).toBe(agent.id);
		});

		it('an end-user key opens tickets for itself and may not set staff-only fields (403)', async () => {
			const res = await create(endUserKey, { subject: 'My laptop', description: 'It is slow.' });
			expect(res.status).toBe(201);
			expect(res.body.requester.id).toBe(endUser.id);
			expect(res.body.url).toBe(`http://localhost/portal/tickets/${res.body.number}`);
			const denied = await create(endUserKey, {
				subject: 'Mine',
				description: 'x',
				assignee: agent.email,
				status: 'closed'
			});
			expect(denied.status).toBe(403);
			expect(denied.body.error.message).toMatch(/assignee, status/);
		});

		it('answers invalid bodies with 400 and per-field messages in REST names', async () => {
			const res = await create(agentKey, {
				subject: 'x',
				description: 42,
				priority: 'urgent',
				type: 'No such type',
				requester: { email: 'not-an-email' },
				colour: 'blue'
			});
			expect(res.status).toBe(400);
			expect(res.body.error.code).toBe('BAD_REQUEST');
			expect(Object.keys(res.body.error.fields).sort()).toEqual(
				['colour', 'description', 'priority', 'requester.email', 'subject'].sort()
			);
			expect(res.body.error.fields.colour).toEqual(['Unknown field.']);
			const type = await create(agentKey, { subject: 'Typed', description: 'x', type: 'Nope' });
			expect(type.status).toBe(400);
			expect(type.body.error.fields).toEqual({ type: ['There is no ticket type “Nope”.'] });
			const assignee = await create(agentKey, {
				subject: 'Assigned',
				description: 'x',
				assignee: endUser.email
			});
			expect(assignee.status).toBe(400);
			expect(Object.keys(assignee.body.error.fields)).toEqual(['assignee']);
		});

		it('never answers 500 to hostile input: bad JSON, wrong shapes, NUL, huge numbers, deep nesting', async () => {
			const bodies: BodyInit[] = [
				'{not json',
				'',
				'[]',
				'"text"',
				'null',
				JSON.stringify({ subject: 'NUL \u0000 here', description: 'x' }),
				'{"subject":"Big","description":"x","priority":1e400}',
				JSON.stringify({ subject: 'Big', description: 'x', customFields: '1'.repeat(400) }),
				'{"subject":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
				new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])
			];
			for (const raw of bodies) {
				const res = await api(ticketsRoute.POST as Handler, {
					key: agentKey,
					method: 'POST',
					raw
				});
				expect(res.status, String(raw).slice(0, 40)).toBe(400);
				expect(res.body.error.code).toBe('BAD_REQUEST');
			}
		});

		it('a body over 1 MB is 413 before parsing, whether or not Content-Length says so', async () => {
			const big = JSON.stringify({ subject: 'Big', description: 'x'.repeat(1024 * 1024) });
			const streamed = await api(ticketsRoute.POST as Handler, {
				key: agentKey,
				method: 'POST',
				raw: big
			});
			expect(streamed.status).toBe(413);
			expect(streamed.body.error.code).toBe('PAYLOAD_TOO_LARGE');
			const declared = await api(ticketsRoute.POST as Handler, {
				key: agentKey,
				method: 'POST',
				raw: '{}',
				headers: { 'content-length': String(2 * 1024 * 1024) }
			});
			expect(declared.status).toBe(413);
		});
	});

	describe('Idempotency-Key', () => {
		it('20 concurrent identical requests open exactly one ticket; replays are 200 with Idempotent-Replayed', async () => {
			const key = randomUUID();
			const subject = unique('Idempotent');
			const results = await Promise.all(
				Array.from({ length: 20 }, () =>
					create(agentKey, { subject, description: 'Once only.' }, { 'idempotency-key': key })
				)
			);
			expect(results.filter((r) => r.status === 201)).toHaveLength(1);
			const replays = results.filter((r) => r.status === 200);
			expect(replays).toHaveLength(19);
			for (const r of replays) expect(r.headers.get('idempotent-replayed')).toBe('true');
			expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
			expect(await db().ticket.count({ where: { subject } })).toBe(1);
			const later = await create(
				agentKey,
				{ subject, description: 'Once only.' },
				{ 'idempotency-key': key }
			);
			expect(later.status).toBe(200);
			expect(later.body.id).toBe(results[0]!.body.id);
		});

		it('the same key from another user opens that user’s own ticket', async () => {
			const key = randomUUID();
			const a = await create(
				agentKey,
				{ subject: 'Key A', description: 'x' },
				{ 'idempotency-key': key }
			);
			const b = await create(
				endUserKey,
				{ subject: 'Key B', description: 'x' },
				{ 'idempotency-key': key }
			);
			expect([a.status, b.status]).toEqual([201, 201]);
			expect(a.body.id).not.toBe(b.body.id);
		});

		it('refuses keys that are empty, too long or not printable ASCII', async () => {
			for (const bad of ['', 'x'.repeat(201), 'clé', 'tab\there']) {
				const { event } = fakeEvent({
					url: 'http://localhost/api/v1/tickets',
					method: 'POST',
					headers: { authorization: `Bearer ${agentKey}` },
					body: JSON.stringify({ subject: 'Bad key', description: 'x' })
				});
				event.request.headers.set('idempotency-key', bad);
				await authenticate(event);
				const res = await (ticketsRoute.POST as Handler)(event as never);
				expect(res.status, JSON.stringify(bad)).toBe(400);
				expect((await res.json()).error.fields).toHaveProperty('Idempotency-Key');
			}
		});
	});

	describe('GET /tickets', () => {
		it('filters, sorts and pages with next_cursor, has_more and a Link header', async () => {
			const tag = `t${randomUUID().slice(0, 6)}`;
			const made = [];
			for (let i = 0; i < 3; i++) {
				made.push(
					(await create(agentKey, { subject: `Paged ${i}`, description: 'x', tags: [tag] })).body
				);
			}
			await create(agentKey, { subject: 'Other tag', description: 'x', tags: ['zzz'] });
			const first = await list(agentKey, `?tag=${tag}&sort=number&order=asc&limit=2`);
			expect(first.status).toBe(200);
			const page = restTicketPageSchema.parse(first.body);
			expect(page.data.map((t) => t.number)).toEqual([made[0].number, made[1].number]);
			expect(page.has_more).toBe(true);
			expect(first.headers.get('link')).toMatch(
				/^<http:\/\/localhost\/api\/v1\/tickets\?.*cursor=.*>; rel="next"$/
			);
			const second = await list(
				agentKey,
				`?tag=${tag}&sort=number&order=asc&limit=2&cursor=${page.next_cursor}`
			);
			expect(second.body.data.map((t: { number: number }) => t.number)).toEqual([made[2].number]);
			expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
			expect(second.headers.get('link')).toBeNull();
		});

		it('takes comma lists and repeats, assignee=me, requester by email, q and date ranges', async () => {
			const tag = `f${randomUUID().slice(0, 6)}`;
			const requester = uniqueEmail('req');
			const mine = await create(agentKey, {
				subject: 'Keyboard sticky keys',
				description: 'x',
				tags: [tag],
				assignee: 'me',
				status: 'pending',
				requester: { email: requester }
			});
			await create(agentKey, { subject: 'Unassigned', description: 'x', tags: [tag] });
			const q = (s: string) => list(agentKey, `?tag=${tag}&${s}`).then((r) => r.body.data);
			expect(await q('assignee=me')).toHaveLength(1);
			expect(await q('assignee=none')).toHaveLength(1);
			expect(await q(`assignee=${agent.email}`)).toHaveLength(1);
			expect(await q('assignee=nobody@example.com')).toHaveLength(0);
			expect(await q('status=new,pending')).toHaveLength(2);
			expect(await q('status=new&status=pending')).toHaveLength(2);
			expect(await q('status=pending&priority=medium')).toHaveLength(1);
			expect(await q(`requester=${requester}`)).toHaveLength(1);
			expect(await q('q=keyboard')).toHaveLength(1);
			expect(await q('created_after=2000-01-01&created_before=2999-01-01T00:00:00Z')).toHaveLength(
				2
			);
			expect(await q('updated_after=2999-01-01')).toHaveLength(0);
			expect((await q('source=api'))[0].id).toBeDefined();
			expect((await q('assignee=me'))[0].id).toBe(mine.body.id);
		});

		it('refuses invalid parameters with 400 naming each', async () => {
			const res = await list(
				agentKey,
				'?limit=0&status=bogus&sort=colour&created_after=yesterday&foo=1&q=a&q=b&cursor=nope'
			);
			expect(res.status).toBe(400);
			expect(Object.keys(res.body.error.fields).sort()).toEqual(['q']);
			const fields = (
				await list(agentKey, '?limit=0&status=bogus&sort=colour&created_after=yesterday&foo=1')
			).body.error.fields;
			expect(Object.keys(fields).sort()).toEqual(
				['created_after', 'foo', 'limit', 'sort', 'status'].sort()
			);
			for (const bad of [
				'?limit=1e400',
				'?limit=101',
				'?limit=abc',
				'?cursor=nope',
				`?cursor=${Buffer.from(JSON.stringify([1e20, randomUUID()])).toString('base64url')}&sort=number`,
				`?cursor=${Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', randomUUID()])).toString('base64url')}`,
				'?q=%00',
				'?group=No%20such%20group',
				'?created_after=99999-01-01'
			]) {
				const r = await list(agentKey, bad);
				expect(r.status, bad).toBe(400);
			}
		});
	});

	describe('what an end-user key may see', () => {
		let other: TestUser;
		let ownNumber: number;
		let othersNumber: number;

		beforeAll(async () => {
			other = await makeUser({ role: 'END_USER' });
			ownNumber = (await makeTicket(endUser, { subject: 'Own ticket' })).number;
			othersNumber = (await makeTicket(other, { subject: 'Someone else’s' })).number;
			const scope = await scopeOf(agent);
			await addEntry({ scope }, { ticket: ownNumber, kind: 'REPLY', body: 'Public answer' });
			await addEntry({ scope }, { ticket: ownNumber, kind: 'NOTE', body: 'Secret note' });
		});

		it('lists only its own tickets', async () => {
			const res = await list(endUserKey, '?limit=100');
			expect(res.status).toBe(200);
			expect(res.body.data.length).toBeGreaterThan(0);
			for (const t of res.body.data) expect(t.requester.id).toBe(endUser.id);
		});

		it('reads its ticket with public replies only; a staff key also sees the note marked internal', async () => {
			const mine = await get(endUserKey, ownNumber);
			expect(mine.status).toBe(200);
			const detail = restTicketDetailSchema.parse(mine.body);
			expect(detail.comments.map((c) => c.body)).toEqual(['Public answer']);
			expect(JSON.stringify(mine.body)).not.toContain('Secret note');
			expect(mine.headers.get('etag')).toBe(`"${detail.version}"`);
			const listed = await comments(endUserKey, ownNumber);
			expect(listed.body.data.map((c: { body: string }) => c.body)).toEqual(['Public answer']);

			const staff = await get(agentKey, ownNumber);
			expect(
				staff.body.comments.map((c: { body: string; internal: boolean }) => [c.body, c.internal])
			).toEqual([
				['Public answer', false],
				['Secret note', true]
			]);
			expect((await comments(agentKey, ownNumber)).body.data).toHaveLength(2);
		});

		it('someone else’s ticket is a 404 identical to a missing one', async () => {
			const hidden = await get(endUserKey, othersNumber);
			const missing = await get(endUserKey, 999_999_999);
			expect(hidden.status).toBe(404);
			expect(missing.status).toBe(404);
			expect(hidden.body).toEqual(missing.body);
			expect(hidden.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Ticket not found.' } });
			expect((await comments(endUserKey, othersNumber)).body).toEqual(missing.body);
			expect((await comment(endUserKey, othersNumber, { body: 'Hi' })).body).toEqual(missing.body);
			for (const weird of ['abc', '0', '1e3', '99999999999999999999', '-1']) {
				expect((await get(endUserKey, weird)).status, weird).toBe(404);
			}
		});

		it('may reply (201) but not write internal notes (403) or update properties (403)', async () => {
			const reply = await comment(endUserKey, ownNumber, { body: 'Still broken.' });
			expect(reply.status).toBe(201);
			expect(restCommentSchema.parse(reply.body)).toMatchObject({
				body: 'Still broken.',
				internal: false,
				source: 'api',
				author: { id: endUser.id }
			});
			const note = await comment(endUserKey, ownNumber, { body: 'Psst', internal: true });
			expect(note.status).toBe(403);
			const update = await patch(endUserKey, ownNumber, { priority: 'critical' });
			expect(update.status).toBe(403);
		});
	});

	describe('PATCH /tickets/{number}', () => {
		it('changes properties named the REST way and bumps the version and ETag', async () => {
			const team = await makeTeam([agent]);
			const t = (await create(agentKey, { subject: 'To change', description: 'x' })).body;
			const res = await patch(
				agentKey,
				t.number,
				{
					status: 'on_hold',
					priority: 'critical',
					assignee: agent.email,
					group: team.name,
					type: typeName,
					tags: ['Moved'],
					subject: 'Changed'
				},
				{ 'if-match': `"${t.version}"` }
			);
			expect(res.status).toBe(200);
			expect(restTicketSchema.parse(res.body)).toMatchObject({
				status: 'on_hold',
				priority: 'critical',
				assignee: { id: agent.id },
				group: { id: team.id },
				type: { name: typeName },
				tags: ['moved'],
				subject: 'Changed',
				version: t.version + 1
			});
			expect(res.headers.get('etag')).toBe(`"${t.version + 1}"`);
			const cleared = await patch(agentKey, t.number, { assignee: null, type: null });
			expect(cleared.body).toMatchObject({ assignee: null, type: null });
		});

		it('a stale If-Match (or body version) is 409 with the conflict message; nothing is written', async () => {
			const t = (await create(agentKey, { subject: 'Contested', description: 'x' })).body;
			await patch(agentKey, t.number, { priority: 'low' });
			const stale = await patch(
				agentKey,
				t.number,
				{ priority: 'high' },
				{ 'if-match': `"${t.version}"` }
			);
			expect(stale.status).toBe(409);
			expect(stale.body.error.code).toBe('CONFLICT');
			expect(stale.body.error.message).toMatch(/was changed by .* nothing was overwritten/);
			const inBody = await patch(agentKey, t.number, { priority: 'high', version: t.version });
			expect(inBody.status).toBe(409);
			expect((await get(agentKey, t.number)).body.priority).toBe('low');
			const bad = await patch(agentKey, t.number, { priority: 'high' }, { 'if-match': 'soon' });
			expect(bad.status).toBe(400);
			expect(bad.body.error.fields).toHaveProperty('If-Match');
		});

		it('answers 400 for unknown names and fields, 404 for tickets the agent may not see', async () => {
			const t = (await create(agentKey, { subject: 'Valid', description: 'x' })).body;
			const res = await patch(agentKey, t.number, { group: 'No such team', number: 5 });
			expect(res.status).toBe(400);
			expect(Object.keys(res.body.error.fields)).toEqual(['number']);
			const unknownGroup = await patch(agentKey, t.number, { group: 'No such team' });
			expect(unknownGroup.body.error.fields).toEqual({
				group: ['There is no group “No such team”.']
			});
			const requester = await patch(agentKey, t.number, { requester: 'ghost@example.com' });
			expect(requester.body.error.fields).toHaveProperty('requester');

			const outsider = await makeUser({ role: 'AGENT' });
			const hiddenTeam = await makeTeam([]);
			const hidden = (
				await create(agentKey, { subject: 'Elsewhere', description: 'x', group: hiddenTeam.id })
			).body;
			const res404 = await patch(await keyOf(outsider), hidden.number, { group: 'No such team' });
			expect(res404.status).toBe(404);
		});
	});

	describe('POST /tickets/{number}/comments', () => {
		it('staff add replies and internal notes; an agent reply can set the status', async () => {
			const t = (await create(agentKey, { subject: 'Chat', description: 'x' })).body;
			const note = await comment(agentKey, t.number, { body: 'Internal **only**', internal: true });
			expect(note.status).toBe(201);
			expect(note.body).toMatchObject({ internal: true, author: { id: agent.id } });
			expect(note.body.html).toContain('<strong>only</strong>');
			const reply = await comment(agentKey, t.number, { body: 'On it', status: 'pending' });
			expect(reply.status).toBe(201);
			expect((await get(agentKey, t.number)).body.status).toBe('pending');
			const empty = await comment(agentKey, t.number, { body: '   ' });
			expect(empty.status).toBe(400);
			expect(empty.body.error.fields).toHaveProperty('body');
		});
	});

	describe('types and categories by name', () => {
		it('resolves categories by name or id, refuses ambiguous names, and filters lists by type and category', async () => {
			const parentA = await db().ticketCategory.create({ data: { name: unique('Hardware') } });
			const parentB = await db().ticketCategory.create({ data: { name: unique('Software') } });
			const shared = unique('Other');
			await db().ticketCategory.create({ data: { name: shared, parentId: parentA.id } });
			await db().ticketCategory.create({ data: { name: shared, parentId: parentB.id } });
			const t = await create(agentKey, {
				subject: 'Categorised',
				description: 'x',
				category: parentA.name.toLowerCase(),
				type: typeName
			});
			expect(t.status).toBe(201);
			expect(t.body.category).toEqual({ id: parentA.id, name: parentA.name });
			const ambiguous = await create(agentKey, {
				subject: 'Which?',
				description: 'x',
				category: shared
			});
			expect(ambiguous.body.error.fields.category[0]).toMatch(/use the id/);
			const byId = await patch(agentKey, t.body.number, { category: parentB.id });
			expect(byId.body.category.id).toBe(parentB.id);
			const filtered = await list(
				agentKey,
				`?category=${parentB.id}&type=${encodeURIComponent(typeName)}`
			);
			expect(filtered.body.data.map((x: { id: string }) => x.id)).toEqual([t.body.id]);
			const unknown = await list(agentKey, '?category=Nowhere');
			expect(unknown.body.error.fields).toEqual({ category: ['There is no category “Nowhere”.'] });
		});
	});

	describe('edge cases', () => {
		it('If-Match and a different body version together are a 400, not a guess', async () => {
			const t = (await create(agentKey, { subject: 'Two versions', description: 'x' })).body;
			const res = await patch(agentKey, t.number, { version: 7 }, { 'if-match': '"1"' });
			expect(res.status).toBe(400);
			expect(res.body.error.fields).toHaveProperty('version');
			const star = await patch(agentKey, t.number, { priority: 'low' }, { 'if-match': '*' });
			expect(star.status).toBe(200);
		});

		it('a signed-in session (no key) uses the API too, with its own rate budget', async () => {
			const { event } = fakeEvent({ url: 'http://localhost/api/v1/tickets?limit=1' });
			event.locals.user = sessionUserOf(agent);
			const res = await (ticketsRoute.GET as Handler)(event as never);
			expect(res.status).toBe(200);
			expect(restLimitKey(event.request, sessionUserOf(agent))).toBe(`user:${agent.id}`);
		});

		it('domain validation errors come back in REST field names', async () => {
			const err = await inRestTerms(async () =>
				z.object({ typeId: z.uuid('Choose a valid type.') }).parse({ typeId: 'x' })
			).catch((e: unknown) => e);
			expect(err).toMatchObject({
				code: 'BAD_REQUEST',
				fields: { type: ['Choose a valid type.'] }
			});
		});
	});

	describe('authentication and rate limits', () => {
		it('no key or an unknown key is 401 with a Bearer challenge', async () => {
			for (const key of [null, 'itsm_nope']) {
				const res = await api(ticketsRoute.GET as Handler, { key });
				expect(res.status).toBe(401);
				expect(res.headers.get('www-authenticate')).toBe('Bearer');
				expect(res.body.error.code).toBe('UNAUTHORIZED');
			}
		});

		it('past 600 requests a minute the key gets 429 with Retry-After; other keys are unaffected', async () => {
			const user = await makeUser({ role: 'AGENT' });
			const key = await keyOf(user);
			const request = new Request('http://localhost', {
				headers: { authorization: `Bearer ${key}` }
			});
			await restLimiter().penalty(restLimitKey(request, sessionUserOf(user)), REST_RATE_LIMIT);
			const res = await list(key);
			expect(res.status).toBe(429);
			expect(res.body.error.code).toBe('TOO_MANY_REQUESTS');
			const retry = Number(res.headers.get('retry-after'));
			expect(retry).toBeGreaterThan(0);
			expect(retry).toBeLessThanOrEqual(60);
			expect((await list(agentKey)).status).toBe(200);
		});
	});
});
