import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { authenticate } from '../../src/lib/server/http/auth';
import { DEFAULT_MAX_BYTES } from '../../src/lib/server/mail/receive';
import * as inboundRoute from '../../src/routes/api/v1/inbound/email/+server';
import { makeGroup } from '../helpers/factories';
import { fakeEvent } from '../helpers/http';
import { makeAccount, mime, uniqueAddress } from '../helpers/mail';

type Handler = (event: never) => Promise<Response>;

/** POSTs to the route in-process, through the same authentication hooks.server.ts runs first. */
async function post(body: BodyInit | undefined, headers: Record<string, string> = {}) {
	const { event } = fakeEvent({
		url: 'http://localhost/api/v1/inbound/email',
		method: 'POST',
		headers: { 'content-type': 'message/rfc822', ...headers },
		body
	});
	await authenticate(event);
	const res = await (inboundRoute.POST as Handler)(event as never);
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const webhookAccount = (overrides: Record<string, unknown> = {}) =>
	makeAccount({ inbound: 'WEBHOOK', ...overrides });
const message = (subject = `Laptop fan ${randomUUID().slice(0, 8)}`, messageId?: string) => ({
	subject,
	raw: mime({ from: `Kim <${uniqueAddress('kim')}>`, subject, messageId })
});

describe('POST /api/v1/inbound/email', () => {
	it('a raw message with the account secret is stored (202 { id, duplicate }) and becomes a ticket', async () => {
		const group = await makeGroup();
		const account = await webhookAccount({ groupId: group.id });
		const { subject, raw } = message();
		const res = await post(new Uint8Array(raw), bearer(account.webhookSecret));
		expect(res).toMatchObject({ status: 202, body: { id: expect.any(String), duplicate: false } });
		const stored = await db().inboundMail.findUniqueOrThrow({ where: { id: res.body.id } });
		expect(stored).toMatchObject({
			channel: 'WEBHOOK',
			accountId: account.id,
			status: 'PROCESSED'
		});
		const ticket = await db().ticket.findUniqueOrThrow({ where: { id: stored.ticketId! } });
		expect(ticket).toMatchObject({ subject, source: 'EMAIL', groupId: group.id });
	});

	it('a redelivery (same Message-ID) answers 202 duplicate: true and there is still one ticket', async () => {
		const account = await webhookAccount();
		const messageId = `${randomUUID()}@provider.test`;
		const { subject, raw } = message(undefined, messageId);
		const first = await post(new Uint8Array(raw), bearer(account.webhookSecret));
		const again = await post(new Uint8Array(raw), {
			'x-helpdesk-secret': account.webhookSecret
		});
		expect(again).toEqual({ status: 202, body: { id: first.body.id, duplicate: true } });
		expect(await db().ticket.count({ where: { subject } })).toBe(1);
	});

	it('X-Helpdesk-Secret and HTTP Basic (secret as password) authenticate too; any raw type', async () => {
		const account = await webhookAccount();
		const basic = Buffer.from(`inbound:${account.webhookSecret}`).toString('base64');
		for (const [type, headers] of [
			['application/octet-stream', { 'x-helpdesk-secret': account.webhookSecret }],
			['text/plain; charset=utf-8', { authorization: `Basic ${basic}` }]
		] as const) {
			const { raw } = message();
			const res = await post(new Uint8Array(raw), { ...headers, 'content-type': type });
			expect(res.status, type).toBe(202);
		}
	});

	it('a provider form (SendGrid "email", Mailgun "body-mime") carries the message in a field', async () => {
		const account = await webhookAccount();
		for (const field of ['email', 'body-mime']) {
			const { subject, raw } = message();
			const form = new FormData();
			form.set(field, raw.toString('utf8'));
			form.set('to', account.address);
			const req = new Request('http://x/', { method: 'POST', body: form });
			const res = await post(new Uint8Array(await req.arrayBuffer()), {
				...bearer(account.webhookSecret),
				'content-type': req.headers.get('content-type')!
			});
			expect(res.status, field).toBe(202);
			expect(await db().ticket.count({ where: { subject } })).toBe(1);
		}
		const empty = new URLSearchParams({ to: account.address });
		const res = await post(empty.toString(), {
			...bearer(account.webhookSecret),
			'content-type': 'application/x-www-form-urlencoded'
		});
		expect(res).toMatchObject({
			status: 400,
			body: { error: { code: 'BAD_REQUEST', message: expect.stringContaining('no raw message') } }
		});
	});

	it('a wrong or missing secret is 401; nothing is stored', async () => {
		const account = await webhookAccount();
		const { subject, raw } = message();
		for (const headers of [bearer(`${account.webhookSecret}x`), {}, bearer('itsm_notakey')]) {
			const res = await post(new Uint8Array(raw), headers);
			expect(res.status).toBe(401);
			expect(res.body.error.code).toBe('UNAUTHORIZED');
		}
		expect(await db().inboundMail.count({ where: { subject } })).toBe(0);
	});

	it('an inactive account, or one that does not receive by webhook, is 403', async () => {
		const inactive = await webhookAccount({ active: false });
		const smtp = await makeAccount({ inbound: 'SMTP' });
		const { subject, raw } = message();
		const off = await post(new Uint8Array(raw), bearer(inactive.webhookSecret));
		expect(off).toMatchObject({
			status: 403,
			body: { error: { code: 'FORBIDDEN', message: 'This mail account is switched off.' } }
		});
		expect((await post(new Uint8Array(raw), bearer(smtp.webhookSecret))).status).toBe(403);
		expect(await db().inboundMail.count({ where: { subject } })).toBe(0);
	});

	it('an empty body, a body that is no message, or one without From is 400 with a clear message', async () => {
		const account = await webhookAccount();
		const auth = bearer(account.webhookSecret);
		expect(await post(undefined, auth)).toMatchObject({
			status: 400,
			body: { error: { message: 'Send the raw message (MIME) as the request body.' } }
		});
		expect((await post('  \r\n', auth)).body.error.message).toBe('The message is empty.');
		const prose = await post('Hello, my printer is broken.\r\n\r\nThanks', auth);
		expect(prose).toMatchObject({ status: 400 });
		expect(prose.body.error.message).toContain('not a MIME message');
		const noFrom = await post('Subject: hi\r\n\r\nbody', auth);
		expect(noFrom.body.error.message).toBe('The message has no From: header.');
	});

	it('a JSON or other body type is 415', async () => {
		const account = await webhookAccount();
		const res = await post('{"raw":"..."}', {
			...bearer(account.webhookSecret),
			'content-type': 'application/json'
		});
		expect(res).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
	});

	it('a message over the limit (MAIL_MAX_BYTES, 25 MB) is 413 — declared or streamed', async () => {
		const account = await webhookAccount();
		const auth = bearer(account.webhookSecret);
		const declared = await post('x', { ...auth, 'content-length': String(DEFAULT_MAX_BYTES + 1) });
		expect(declared.status).toBe(413);
		const { subject, raw } = message();
		const huge = Buffer.concat([raw, Buffer.alloc(DEFAULT_MAX_BYTES, 'a')]);
		const streamed = await post(new Uint8Array(huge), auth);
		expect(streamed).toMatchObject({
			status: 413,
			body: { error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('25 MB') } }
		});
		expect(await db().inboundMail.count({ where: { subject } })).toBe(0);
	});
});
