import { createHash, timingSafeEqual } from 'node:crypto';
import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db/client';
import { AppError } from '$lib/server/errors';
import { endpoint, errorResponse, type EndpointPermissions } from '$lib/server/http/rest';
import { processInbound } from '$lib/server/mail/ingest';
import { maxMailBytes, storeRaw } from '$lib/server/mail/receive';

/**
 * Inbound mail by webhook (MailAccount.inbound = WEBHOOK): a mail provider's inbound route POSTs
 * the raw MIME message, authenticated by the account's `webhookSecret` — `Authorization: Bearer
 * <secret>`, `X-Helpdesk-Secret: <secret>`, or HTTP Basic with the secret as password (for
 * providers that only take a URL: https://inbound:<secret>@host/api/v1/inbound/email). The body is
 * the message itself (message/rfc822, application/octet-stream, text/plain), or a form whose
 * `email` / `body-mime` / `message` field holds it (SendGrid's and Mailgun's raw MIME routes).
 * 202 `{ id, duplicate }` once stored; a redelivery of the same message is a duplicate, not a
 * second ticket. Access is 'public' because the secret, not a user, authenticates.
 */
export const _permissions = { POST: 'public' } satisfies EndpointPermissions;

const RAW_TYPES = ['message/rfc822', 'application/octet-stream', 'text/plain'];
const FORM_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded'];
const FORM_FIELDS = ['email', 'body-mime', 'message', 'mime'];

const bad = (message: string) => new AppError('BAD_REQUEST', message);
const unauthorized = (message: string) => new AppError('UNAUTHORIZED', message);
const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function secretOf(headers: Headers): string | null {
	const explicit = headers.get('x-helpdesk-secret')?.trim();
	if (explicit) return explicit;
	const auth = headers.get('authorization')?.trim() ?? '';
	const [scheme, value = ''] = auth.split(/\s+/, 2);
	if (scheme?.toLowerCase() === 'bearer') return value || null;
	if (scheme?.toLowerCase() === 'basic') {
		const decoded = Buffer.from(value, 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		return (colon >= 0 ? decoded.slice(colon + 1) || decoded.slice(0, colon) : decoded) || null;
	}
	return null;
}

/** The account whose secret matches, comparing every secret in constant time (no early exit). */
async function accountBySecret(secret: string) {
	const digest = (s: string) => createHash('sha256').update(s).digest();
	const given = digest(secret);
	const accounts = await db().mailAccount.findMany({
		select: { id: true, active: true, inbound: true, webhookSecret: true }
	});
	let match: (typeof accounts)[number] | null = null;
	for (const a of accounts) {
		if (a.webhookSecret && timingSafeEqual(digest(a.webhookSecret), given) && !match) match = a;
	}
	return match;
}

/** Reads at most `max` bytes, whatever Content-Length claims. */
async function readBody(request: Request, max: number): Promise<Buffer> {
	const tooLarge = () =>
		new AppError(
			'PAYLOAD_TOO_LARGE',
			`The message must be at most ${mb(max)} (${max} bytes; MAIL_MAX_BYTES).`
		);
	if (Number(request.headers.get('content-length') ?? 0) > max) throw tooLarge();
	const reader = request.body!.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > max) {
			await reader.cancel().catch(() => undefined);
			throw tooLarge();
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks);
}

async function fromForm(body: Buffer, contentType: string): Promise<Buffer> {
	let form: FormData;
	try {
		form = await new Response(new Uint8Array(body), {
			headers: { 'content-type': contentType }
		}).formData();
	} catch {
		throw bad('The form body could not be read.');
	}
	for (const name of FORM_FIELDS) {
		const v = form.get(name);
		if (typeof v === 'string') return Buffer.from(v, 'utf8');
		if (v) return Buffer.from(await v.arrayBuffer());
	}
	throw bad(`The form has no raw message field (${FORM_FIELDS.join(', ')}).`);
}

/** A message starts with header fields (an mbox "From " line may precede them) and has a From. */
function checkMime(raw: Buffer) {
	if (!raw.toString('latin1').trim()) throw bad('The message is empty.');
	const head = raw.subarray(0, 256 * 1024).toString('latin1');
	const end = head.search(/\r?\n\r?\n/);
	const lines = (end >= 0 ? head.slice(0, end) : head).split(/\r?\n/);
	if (lines[0]?.startsWith('From ')) lines.shift();
	const field = /^[\x21-\x39\x3b-\x7e]+:/;
	if (
		!lines.length ||
		!field.test(lines[0] ?? '') ||
		lines.some((l) => !field.test(l) && !/^[ \t]/.test(l))
	)
		throw bad(
			'The body is not a MIME message: it must start with header lines (From:, Subject:, …).'
		);
	if (!lines.some((l) => /^from:/i.test(l))) throw bad('The message has no From: header.');
}

export const POST = endpoint(_permissions.POST, async (event) => {
	const { request } = event;
	if (!request.body || request.headers.get('content-length') === '0')
		throw bad('Send the raw message (MIME) as the request body.');
	const contentType = request.headers.get('content-type') ?? '';
	const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
	const form = FORM_TYPES.includes(mediaType);
	if (mediaType && !form && !RAW_TYPES.includes(mediaType)) {
		return errorResponse(
			415,
			'UNSUPPORTED_MEDIA_TYPE',
			`Send the message as ${RAW_TYPES.join(', ')} or as a form field; not ${mediaType}.`
		);
	}
	const secret = secretOf(request.headers);
	if (!secret)
		throw unauthorized(
			"Send the mail account's webhook secret: Authorization: Bearer <secret> or X-Helpdesk-Secret."
		);
	const account = await accountBySecret(secret);
	if (!account) throw unauthorized('The secret matches no mail account.');
	if (!account.active) throw new AppError('FORBIDDEN', 'This mail account is switched off.');
	if (account.inbound !== 'WEBHOOK')
		throw new AppError('FORBIDDEN', 'This mail account does not receive mail by webhook.');

	const max = maxMailBytes();
	// A form carries a little more than the message; the message itself is checked again below.
	let raw = await readBody(request, form ? max + 64 * 1024 : max);
	if (form) raw = await fromForm(raw, contentType);
	if (raw.length > max)
		throw new AppError('PAYLOAD_TOO_LARGE', `The message must be at most ${mb(max)}.`);
	checkMime(raw);

	const received = await storeRaw(raw, { channel: 'WEBHOOK', accountId: account.id });
	if (!received.duplicate) {
		// Stored is what the sender needs to know; a failed import is retried by processPending.
		await processInbound(received.id).catch((err: unknown) =>
			event.locals.log.warn(
				{ err, inbound: received.id },
				'mail webhook: import failed, left for retry'
			)
		);
	}
	return json({ id: received.id, duplicate: received.duplicate }, { status: 202 });
});
