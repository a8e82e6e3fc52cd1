import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { db } from '../../src/lib/server/db/client';
import {
	formStamp,
	rateByToken,
	replyByToken,
	submitPublicTicket,
	viewByToken,
	type PublicSubmitInput
} from '../../src/lib/server/tickets/public';
import { storeUpload } from '../../src/lib/server/tickets/attachments';
import { addEntry } from '../../src/lib/server/tickets/entries';
import {
	customFieldValues,
	formFailure,
	storeFormFiles
} from '../../src/lib/server/tickets/requester-forms';
import { makeUser, uniqueEmail, uniqueIp } from '../helpers/factories';
import { fakeEvent } from '../helpers/http';
import { makeTicket, scopeOf } from '../helpers/tickets';

/** A form rendered `ageMs` ago, filled in by a person. */
async function filled(overrides: Partial<PublicSubmitInput> = {}, ageMs = 10_000) {
	return {
		name: 'Pat Public',
		email: uniqueEmail('public'),
		subject: `Cannot print ${randomUUID().slice(0, 8)}`,
		description: 'The printer on floor 3 shows error 42.',
		website: '',
		stamp: await formStamp(Date.now() - ageMs),
		...overrides
	} satisfies PublicSubmitInput;
}

const tokenOf = (link: string) => link.replace(/^\/t\//, '');

/** An anonymous upload, as /submit/attachments (null) or /t/<token>/attachments stores it. */
const upload = (ticketToken: string | null) =>
	storeUpload(
		{ userId: null, ticketToken },
		(async function* () {
			yield new TextEncoder().encode('hello');
		})(),
		{ filename: 'screenshot.txt' },
		1024
	);
const ticketsWith = (subject: string) => db().ticket.count({ where: { subject } });

describe('the public form (/submit)', () => {
	it('opens a ticket from the form and names an unknown person as a new contact', async () => {
		const input = await filled();
		const result = await submitPublicTicket(input, { ip: uniqueIp() });
		expect(result).toMatchObject({ created: true, number: expect.any(Number) });
		expect(result.link).toMatch(/^\/t\/[A-Za-z0-9_-]{20,}$/);

		const ticket = await db().ticket.findUniqueOrThrow({
			where: { number: result.number! },
			include: { requester: true }
		});
		expect(ticket).toMatchObject({ subject: input.subject, source: 'FORM', status: 'NEW' });
		expect(ticket.accessToken).toBe(tokenOf(result.link!));
		expect(ticket.requester).toMatchObject({
			email: input.email,
			name: 'Pat Public',
			role: 'REQUESTER',
			passwordHash: null
		});
		const view = await viewByToken(tokenOf(result.link!));
		expect(view).toMatchObject({ number: result.number, subject: input.subject, status: 'NEW' });
	});

	it('files the ticket under an existing person when their address is known', async () => {
		const known = await makeUser({ role: 'END_USER', name: 'Known Person' });
		const result = await submitPublicTicket(await filled({ email: known.email.toUpperCase() }), {
			ip: uniqueIp()
		});
		const ticket = await db().ticket.findUniqueOrThrow({ where: { number: result.number! } });
		expect(ticket.requesterId).toBe(known.id);
		expect(await db().user.count({ where: { email: known.email } })).toBe(1);
	});

	it('a filled honeypot looks like success to the bot and creates nothing', async () => {
		const input = await filled({ website: 'http://spam.example' });
		const result = await submitPublicTicket(input, { ip: uniqueIp() });
		expect(result).toEqual({ created: false, number: null, link: null });
		expect(await ticketsWith(input.subject)).toBe(0);
		expect(await db().user.count({ where: { email: input.email } })).toBe(0);
	});

	it('a form sent faster than 3 seconds, or with a missing or forged stamp, is treated as a bot', async () => {
		const ip = uniqueIp();
		const fast = await filled({}, 1_000);
		expect((await submitPublicTicket(fast, { ip })).created).toBe(false);
		const missing = await filled({ stamp: '' });
		expect((await submitPublicTicket(missing, { ip })).created).toBe(false);
		const [ts] = (await formStamp(Date.now() - 60_000)).split('.');
		const forged = await filled({ stamp: `${ts}.${'A'.repeat(43)}` });
		expect((await submitPublicTicket(forged, { ip })).created).toBe(false);
		for (const s of [fast, missing, forged]) expect(await ticketsWith(s.subject)).toBe(0);
		// The same person after a few seconds gets through.
		expect((await submitPublicTicket(await filled({}, 3_500), { ip: uniqueIp() })).created).toBe(
			true
		);
	});

	it('a form left open for more than a day asks to be sent again', async () => {
		const stale = await filled({}, 25 * 3_600_000);
		await expect(submitPublicTicket(stale, { ip: uniqueIp() })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			fields: { _form: [expect.stringMatching(/more than a day/)] }
		});
	});

	it('refuses bad fields with a message per field, before counting against the rate limit', async () => {
		const ip = uniqueIp();
		const bad = await filled({
			name: ' ',
			email: 'not-an-email',
			subject: 'x',
			description: 'y'.repeat(20_001),
			typeId: 'nope'
		});
		const err = await submitPublicTicket(bad, { ip }).catch((e: unknown) => e);
		expect(err).toMatchObject({ code: 'BAD_REQUEST' });
		const fields = (err as { fields: Record<string, string[]> }).fields;
		expect(Object.keys(fields).sort()).toEqual([
			'description',
			'email',
			'name',
			'subject',
			'typeId'
		]);
		expect(fields.typeId).toEqual(['Choose a valid type.']);
		expect(fields.description![0]).toMatch(/20,000/);
		// Six invalid attempts did not use up the five allowed submissions.
		for (let i = 0; i < 5; i++) await submitPublicTicket(bad, { ip }).catch(() => null);
		expect((await submitPublicTicket(await filled(), { ip })).created).toBe(true);
	});

	it('only active ticket types can be chosen', async () => {
		const [active, retired] = await Promise.all([
			db().ticketType.create({ data: { name: `Active ${randomUUID().slice(0, 8)}` } }),
			db().ticketType.create({
				data: { name: `Retired ${randomUUID().slice(0, 8)}`, active: false }
			})
		]);
		await expect(
			submitPublicTicket(await filled({ typeId: retired.id }), { ip: uniqueIp() })
		).rejects.toMatchObject({ fields: { typeId: ['Choose a valid type.'] } });
		const ok = await submitPublicTicket(await filled({ typeId: active.id }), { ip: uniqueIp() });
		const row = await db().ticket.findUniqueOrThrow({ where: { number: ok.number! } });
		expect(row.typeId).toBe(active.id);
	});

	it('attaches files uploaded through /submit/attachments, each proven by its claim', async () => {
		const file = await upload(null);
		const input = await filled({ attachments: [{ id: file.id, claim: file.claim! }] });
		const r = await submitPublicTicket(input, { ip: uniqueIp() });
		const view = await viewByToken(tokenOf(r.link!));
		expect(view.attachments).toEqual([
			{ id: file.id, filename: 'screenshot.txt', contentType: expect.any(String), size: 5 }
		]);
	});

	it('an attachment with a forged or foreign claim is refused, and nothing is created', async () => {
		const file = await upload(null);
		const forged = await filled({ attachments: [{ id: file.id, claim: 'made-up' }] });
		await expect(submitPublicTicket(forged, { ip: uniqueIp() })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			fields: { attachmentIds: [expect.stringMatching(/add it again/)] }
		});
		expect(await ticketsWith(forged.subject)).toBe(0);
		const unknown = await filled({ attachments: [{ id: randomUUID(), claim: file.claim! }] });
		await expect(submitPublicTicket(unknown, { ip: uniqueIp() })).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
		expect(await db().attachment.findUniqueOrThrow({ where: { id: file.id } })).toMatchObject({
			ticketId: null
		});
	});

	it('allows five tickets per IP in ten minutes, then answers 429 with a retry time', async () => {
		const ip = uniqueIp();
		for (let i = 0; i < 5; i++) {
			expect((await submitPublicTicket(await filled(), { ip })).created).toBe(true);
		}
		const sixth = await filled();
		const err = await submitPublicTicket(sixth, { ip }).catch((e: unknown) => e);
		expect(err).toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringMatching(/try again in/i)
		});
		expect((err as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(500);
		expect(await ticketsWith(sixth.subject)).toBe(0);
		// Another address is not affected.
		expect((await submitPublicTicket(await filled(), { ip: uniqueIp() })).created).toBe(true);
	});

	it('the page action answers 429 with Retry-After and keeps what the person wrote', async () => {
		const { actions } = await import('../../src/routes/submit/+page.server');
		const ip = uniqueIp();
		for (let i = 0; i < 5; i++) await submitPublicTicket(await filled(), { ip });
		const input = await filled();
		const body = new FormData();
		for (const [k, v] of Object.entries(input)) body.set(k, String(v));
		const { event } = fakeEvent({
			url: 'http://localhost/submit',
			method: 'POST',
			body,
			clientAddress: ip
		});
		const headers: Record<string, string> = {};
		Object.assign(event, { setHeaders: (h: Record<string, string>) => Object.assign(headers, h) });
		const result = (await actions.default!(event as never)) as {
			status: number;
			data: { values: { subject: string }; message: string };
		};
		expect(result.status).toBe(429);
		expect(Number(headers['retry-after'])).toBeGreaterThan(0);
		expect(result.data.values.subject).toBe(input.subject);
		expect(result.data.message).toMatch(/try again/i);
	});
});

describe('the private link (/t/<token>)', () => {
	async function publicTicket() {
		const r = await submitPublicTicket(await filled(), { ip: uniqueIp() });
		const ticket = await db().ticket.findUniqueOrThrow({ where: { number: r.number! } });
		return { token: tokenOf(r.link!), ticket };
	}

	it('an unknown or malformed token is simply not found', async () => {
		for (const token of ['x', 'A'.repeat(24), '../../etc/passwd', 'A'.repeat(200)]) {
			await expect(viewByToken(token)).rejects.toMatchObject({ code: 'NOT_FOUND' });
			await expect(replyByToken(token, { body: 'hi' }, { ip: uniqueIp() })).rejects.toMatchObject({
				code: 'NOT_FOUND'
			});
		}
	});

	it('shows public replies with author names and never internal notes', async () => {
		const { token, ticket } = await publicTicket();
		const agent = await makeUser({ role: 'ADMIN', name: 'Alex Agent' });
		const scope = await scopeOf(agent);
		await addEntry({ scope }, { ticket: ticket.id, kind: 'NOTE', body: 'SECRET note' });
		await addEntry({ scope }, { ticket: ticket.id, body: 'Have you tried turning it off?' });
		const view = await viewByToken(token);
		expect(view.entries).toHaveLength(1);
		expect(view.entries[0]).toMatchObject({ authorName: 'Alex Agent', byRequester: false });
		expect(JSON.stringify(view)).not.toContain('SECRET');
		expect(JSON.stringify(view)).not.toContain(agent.email);
	});

	it('a reply by link is written as the requester and reopens a resolved ticket', async () => {
		const { token, ticket } = await publicTicket();
		await db().ticket.update({
			where: { id: ticket.id },
			data: { status: 'RESOLVED', resolvedAt: new Date() }
		});
		const entry = await replyByToken(token, { body: 'Still broken, sorry.' }, { ip: uniqueIp() });
		expect(entry.status).toBe('OPEN');
		const row = await db().ticketEntry.findUniqueOrThrow({ where: { id: entry.id } });
		expect(row).toMatchObject({ authorId: ticket.requesterId, kind: 'REPLY', source: 'FORM' });
		const view = await viewByToken(token);
		expect(view.entries.at(-1)).toMatchObject({ byRequester: true });
		await expect(replyByToken(token, { body: ' ' }, { ip: uniqueIp() })).rejects.toMatchObject({
			fields: { body: ['A message is required.'] }
		});
	});

	it('a reply by link carries files uploaded through that link, never ones meant elsewhere', async () => {
		const { token, ticket } = await publicTicket();
		const other = await publicTicket();
		const mine = await upload(ticket.id);
		const foreign = await upload(other.ticket.id);
		const viaForm = await upload(null);
		for (const f of [foreign, viaForm]) {
			await expect(
				replyByToken(
					token,
					{ body: 'See attached', attachments: [{ id: f.id, claim: f.claim! }] },
					{ ip: uniqueIp() }
				)
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		}
		await replyByToken(
			token,
			{ body: 'See attached', attachments: [{ id: mine.id, claim: mine.claim! }] },
			{ ip: uniqueIp() }
		);
		const view = await viewByToken(token);
		expect(view.entries.at(-1)?.attachments.map((a) => a.id)).toEqual([mine.id]);
	});

	it('a closed ticket takes no more replies by link: the requester opens a new one', async () => {
		const { token, ticket } = await publicTicket();
		await db().ticket.update({ where: { id: ticket.id }, data: { status: 'CLOSED' } });
		await expect(replyByToken(token, { body: 'Hello?' }, { ip: uniqueIp() })).rejects.toMatchObject(
			{
				code: 'CONFLICT',
				message: expect.stringMatching(/open a new ticket/i)
			}
		);
		expect((await viewByToken(token)).can).toEqual({ reply: false, reopen: false, rate: true });
	});

	it('rates by link once resolved', async () => {
		const { token, ticket } = await publicTicket();
		await expect(rateByToken(token, { rating: 5 })).rejects.toMatchObject({ code: 'CONFLICT' });
		await db().ticket.update({ where: { id: ticket.id }, data: { status: 'RESOLVED' } });
		await rateByToken(token, { rating: 4, comment: 'Quick, thanks' });
		expect((await viewByToken(token)).csat).toMatchObject({ rating: 4, comment: 'Quick, thanks' });
	});

	it('the page never sends its address to other sites (same-origin referrer), is noindex, and a bad token is a 404', async () => {
		const { load } = await import('../../src/routes/t/[token]/+page.server');
		const { token } = await publicTicket();
		const headers: Record<string, string> = {};
		const setHeaders = (h: Record<string, string>) => Object.assign(headers, h);
		const { event } = fakeEvent({ url: `http://localhost/t/${token}` });
		const data = (await load({ ...event, params: { token }, setHeaders } as never)) as {
			ticket: { number: number };
		};
		expect(data.ticket.number).toBeGreaterThan(0);
		expect(headers).toMatchObject({
			'referrer-policy': 'same-origin',
			'x-robots-tag': 'noindex, nofollow'
		});
		await expect(
			load({ ...event, params: { token: 'B'.repeat(24) }, setHeaders } as never)
		).rejects.toMatchObject({ status: 404 });
	});

	it('an agent-opened ticket for a contact is reachable by its link too', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent, { requester: { email: uniqueEmail('c'), name: 'Cee' } });
		const row = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
		expect((await viewByToken(row.accessToken)).requesterName).toBe('Cee');
	});
});

describe('requester form helpers', () => {
	it('reads custom fields back from a form by kind, leaving empty ones out', () => {
		const form = new FormData();
		form.set('cf.asset', ' LAP-42 ');
		form.set('cf.count', '3');
		form.append('cf.rooms', 'A');
		form.append('cf.rooms', 'B');
		form.set('cf.urgent', 'on');
		form.set('cf.blank', '');
		const values = customFieldValues(form, [
			{ key: 'asset', kind: 'TEXT' },
			{ key: 'count', kind: 'NUMBER' },
			{ key: 'rooms', kind: 'MULTI_SELECT' },
			{ key: 'none', kind: 'MULTI_SELECT' },
			{ key: 'urgent', kind: 'CHECKBOX' },
			{ key: 'unchecked', kind: 'CHECKBOX' },
			{ key: 'blank', kind: 'DATE' }
		]);
		expect(values).toEqual({ asset: 'LAP-42', count: '3', rooms: ['A', 'B'], urgent: true });
	});

	it('stores files sent inside a form (no JavaScript) as pending uploads, at most ten', async () => {
		const form = new FormData();
		form.append('files', new File(['abc'], 'a.txt', { type: 'text/plain' }));
		form.append('files', new File([], 'empty.txt'));
		const stored = await storeFormFiles(form, { userId: null, ticketToken: null });
		expect(stored).toHaveLength(1);
		expect(stored[0]!.claim).not.toBe('');
		const many = new FormData();
		for (let i = 0; i < 11; i++) many.append('files', new File(['x'], `${i}.txt`));
		await expect(storeFormFiles(many, { userId: null })).rejects.toMatchObject({
			fields: { attachments: ['At most 10 attachments at once.'] }
		});
		expect(await storeFormFiles(new FormData(), { userId: null })).toEqual([]);
	});

	it('turns domain and input errors into per-field messages, and leaves others alone', () => {
		const zod = z.object({ body: z.string().min(1, 'Write something.') }).safeParse({ body: '' });
		expect(formFailure({ cause: zod.error })).toEqual({
			status: 400,
			code: 'BAD_REQUEST',
			message: 'Some fields need your attention.',
			fields: { body: ['Write something.'] }
		});
		expect(formFailure(new Error('boom'))).toBeNull();
		expect(formFailure(null)).toBeNull();
	});

	it('the /submit action opens a ticket with a custom field and a file sent inside the form', async () => {
		const { actions, load } = await import('../../src/routes/submit/+page.server');
		const key = `asset_${randomUUID().slice(0, 8)}`;
		await db().customField.create({
			data: { key, label: 'Asset tag', kind: 'TEXT', public: true, typeIds: [], options: [] }
		});
		const { event: getEvent } = fakeEvent({ url: 'http://localhost/submit' });
		const page = (await load({ ...getEvent, setHeaders: () => {} } as never)) as {
			fields: { key: string }[];
			stamp: string;
		};
		expect(page.fields.map((f) => f.key)).toContain(key);
		const input = await filled();
		const body = new FormData();
		for (const [k, v] of Object.entries(input)) body.set(k, String(v));
		body.set(`cf.${key}`, 'LAP-7');
		body.append('files', new File(['log'], 'log.txt', { type: 'text/plain' }));
		const { event } = fakeEvent({
			url: 'http://localhost/submit',
			method: 'POST',
			body,
			clientAddress: uniqueIp()
		});
		const result = (await actions.default!({ ...event, setHeaders: () => {} } as never)) as {
			done: { number: number; url: string };
		};
		expect(result.done.url).toMatch(/^http:\/\/localhost\/t\//);
		const ticket = await db().ticket.findUniqueOrThrow({
			where: { number: result.done.number },
			include: { attachments: true }
		});
		expect(ticket.customFields).toMatchObject({ [key]: 'LAP-7' });
		expect(ticket.attachments.map((a) => a.filename)).toEqual(['log.txt']);
		await db().customField.update({ where: { key }, data: { active: false } });
	});
});
