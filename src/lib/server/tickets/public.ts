import { createHmac, timingSafeEqual } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { pgPool } from '../db/pool';
import { AppError } from '../errors';
import { emailSchema } from '../identity/schemas';
import { jwtSecret } from '../identity/secret';
import { log } from '../log';
import { ticketIdByToken } from './access';
import { activeConfig } from './config';
import { createTicket } from './create';
import { reopen, rate, type CsatInput } from './csat';
import { addEntry } from './entries';
import { consumeLinkReply, consumeLinkUpload } from './link-limits';
import {
	optionalTypeId,
	parseFields,
	requesterReplySchema,
	requesterTicketById,
	requesterText
} from './requester';
import { formFiles, storeFormFiles } from './requester-forms';
import { customFieldsSchema, subjectSchema } from './schemas';

/**
 * The anonymous public form (/submit) and the private link (/t/<token>). Bots are kept out by a
 * honeypot field, a minimum fill time (the form carries a signed timestamp) and per-IP rate
 * limits; they are told "thank you" and nothing is created, so they learn nothing.
 */
export const MIN_FILL_MS = 3_000;
export const MAX_FORM_AGE_MS = 86_400_000;

export const publicSubmitSchema = z.object({
	name: z
		.string({ error: 'Your name is required.' })
		.trim()
		.min(1, 'Your name is required.')
		.max(120, 'Your name must be at most 120 characters.'),
	email: emailSchema,
	subject: subjectSchema,
	description: requesterText('A description'),
	typeId: optionalTypeId,
	customFields: customFieldsSchema.default({}),
	/** Attachment ids, each proven by the claim /submit/attachments returned with it. */
	attachments: z
		.array(z.object({ id: z.uuid('Unknown attachment.'), claim: z.string().max(500) }))
		.max(10, 'At most 10 attachments.')
		.default([]),
	/** Honeypot: hidden from people, filled in by bots. */
	website: z.string().max(2000).default(''),
	/** The signed moment the form was rendered (formStamp). */
	stamp: z.string().max(200).default('')
});
export type PublicSubmitInput = z.input<typeof publicSubmitSchema>;

export type PublicSubmitResult =
	| { created: true; number: number; link: string }
	/** A bot was detected: the page says thank you, nothing was created. */
	| { created: false; number: null; link: null };

// ---- Fill time: a signed timestamp rendered into the form ----------------------------------

async function sign(value: string): Promise<string> {
	return createHmac('sha256', await jwtSecret())
		.update(`submit-form:${value}`)
		.digest('base64url');
}

/** The hidden `stamp` field of a freshly rendered form. */
export async function formStamp(now = Date.now()): Promise<string> {
	const ts = String(now);
	return `${ts}.${await sign(ts)}`;
}

/** How long ago the form was rendered, or null for a missing or forged stamp. */
async function formAge(stamp: string, now = Date.now()): Promise<number | null> {
	const [ts, sig] = stamp.split('.');
	if (!ts || !sig || !/^\d{1,15}$/.test(ts)) return null;
	const expected = Buffer.from(await sign(ts));
	const given = Buffer.from(sig);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
	return now - Number(ts);
}

// ---- Rate limits per IP, counted in PostgreSQL ----------------------------------------------

const holder = globalThis as unknown as { __itsmSubmitLimiters?: RateLimiterPostgres[] };

function limiters(): RateLimiterPostgres[] {
	const make = (keyPrefix: string, points: number, duration: number) =>
		new RateLimiterPostgres({
			storeClient: pgPool(),
			storeType: 'pool',
			tableName: 'RateLimit',
			tableCreated: true,
			keyPrefix,
			points,
			duration
		});
	holder.__itsmSubmitLimiters ??= [make('submit10m', 5, 600), make('submitDay', 20, 86_400)];
	return holder.__itsmSubmitLimiters;
}

async function consumeSubmission(ip: string): Promise<void> {
	for (const limiter of limiters()) {
		try {
			await limiter.consume(ip);
		} catch (res) {
			if (!(res instanceof RateLimiterRes)) throw res;
			const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
			const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
			throw new AppError(
				'TOO_MANY_REQUESTS',
				`We received several requests from your network in a short time. Please try again in ${wait}, or reply to a ticket you already opened.`,
				undefined,
				seconds
			);
		}
	}
}

// ---- The form -------------------------------------------------------------------------------

/**
 * Opens a ticket from the public form: validates, counts the attempt against the IP's limits,
 * ignores bots, then creates the ticket (and the requester as a contact when unknown).
 */
export async function submitPublicTicket(
	raw: PublicSubmitInput,
	opts: { ip: string; now?: number }
): Promise<PublicSubmitResult> {
	const input = parseFields(publicSubmitSchema, raw);
	await consumeSubmission(opts.ip);

	const ignored = { created: false, number: null, link: null } as const;
	if (input.website.trim()) {
		log.warn({ ip: opts.ip, reason: 'honeypot' }, 'public form: bot submission ignored');
		return ignored;
	}
	const age = await formAge(input.stamp, opts.now);
	if (age === null || age < MIN_FILL_MS) {
		log.warn(
			{ ip: opts.ip, reason: age === null ? 'stamp' : 'too fast' },
			'public form: bot submission ignored'
		);
		return ignored;
	}
	if (age > MAX_FORM_AGE_MS) {
		const msg = 'This form was open for more than a day. Please check it and send it again.';
		throw new AppError('BAD_REQUEST', msg, { _form: [msg] });
	}

	const { ticket, accessToken } = await createTicket(
		{ viewer: null, ip: opts.ip },
		{
			subject: input.subject,
			description: input.description,
			typeId: input.typeId,
			customFields: input.customFields,
			attachmentIds: input.attachments.map((a) => a.id),
			requester: { email: input.email, name: input.name }
		},
		// Anonymous uploads are attached by the claims /submit/attachments answered with.
		{ source: 'FORM', claims: Object.fromEntries(input.attachments.map((a) => [a.id, a.claim])) }
	);
	return { created: true, number: ticket.number, link: `/t/${accessToken}` };
}

// ---- The private link -----------------------------------------------------------------------

/** The requester's page: never internal notes. NOT_FOUND for an unknown token. */
export async function viewByToken(token: string) {
	return requesterTicketById(await ticketIdByToken(token));
}

export interface LinkReplyInput {
	body: string;
	/** Uploaded ahead through /t/<token>/attachments, each with the claim that upload answered. */
	attachments?: { id: string; claim: string }[];
	/** A form carrying files itself (browsers without JavaScript): stored once the reply passes. */
	form?: FormData;
}

/**
 * A reply by whoever holds the link; it is written as the ticket's requester. A valid reply is
 * counted against the link's and the address's limits (link-limits.ts) before anything is
 * stored; files sent inside the form count as uploads through the link.
 */
export async function replyByToken(token: string, reply: LinkReplyInput, opts: { ip: string }) {
	const ahead = reply.attachments ?? [];
	const input = parseFields(requesterReplySchema, {
		body: reply.body,
		attachmentIds: ahead.map((a) => a.id)
	});
	const ticketId = await ticketIdByToken(token);
	await consumeLinkReply(ticketId, opts.ip);
	const files = reply.form ? formFiles(reply.form).length : 0;
	if (files) await consumeLinkUpload(ticketId, opts.ip, files);
	const inline = reply.form
		? await storeFormFiles(reply.form, { userId: null, ticketToken: ticketId })
		: [];
	const attachments = [...ahead, ...inline];
	const claims = Object.fromEntries(attachments.map((a) => [a.id, a.claim]));
	const all = parseFields(requesterReplySchema, {
		body: input.body,
		attachmentIds: attachments.map((a) => a.id)
	});
	return addEntry(
		{ token: { ticketId, claims }, source: 'FORM' },
		{ ticket: ticketId, kind: 'REPLY', ...all }
	);
}

export const reopenByToken = (token: string) => reopen({ token });
export const rateByToken = (token: string, input: CsatInput) => rate({ token }, input);

// ---- What the form offers ---------------------------------------------------------------------

/** Active ticket types and the public custom fields (the public form and the portal). */
export async function requesterFormConfig() {
	const { types, fields } = await activeConfig({ publicOnly: true });
	return {
		types,
		fields: fields.map((f) => ({
			key: f.key,
			label: f.label,
			kind: f.kind,
			options: f.options,
			required: f.required,
			helpText: f.helpText,
			typeIds: f.typeIds
		}))
	};
}
