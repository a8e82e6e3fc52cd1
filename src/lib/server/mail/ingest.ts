import { STAFF_ROLES } from '$lib/permissions';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { log } from '../log';
import { storeUpload } from '../tickets/attachments';
import { getUploadLimitBytes } from '../settings/uploads';
import { createTicket } from '../tickets/create';
import { addEntry } from '../tickets/entries';
import { requesterByEmail } from '../tickets/people';
import { htmlOfText, linkInlineImages } from './html';
import { parseMail } from './parse';
import { storeRaw } from './receive';
import { findTicket } from './thread';
import type { MailChannel, ParsedMail, Received } from './types';

type Tx = Prisma.TransactionClient;

/** A sender beyond this many messages an hour is held (FAILED, "rate limited") for review. */
export const SENDER_LIMIT_PER_HOUR = 30;
const MAX_ATTEMPTS = 5;

export type Outcome =
	| { status: 'PROCESSED'; ticketId: string; entryId: string | null; created: boolean }
	| { status: 'IGNORED' | 'FAILED'; reason: string }
	| { status: 'SKIPPED' };

/** Step one and two of intake: store the message once, then turn it into a ticket or a reply. */
export async function receiveMail(
	raw: Buffer,
	meta: { channel: MailChannel; accountId: string | null }
): Promise<Received & { outcome: Outcome }> {
	const received = await storeRaw(raw, meta);
	const outcome = received.duplicate
		? { status: 'SKIPPED' as const }
		: await processInbound(received.id);
	return { ...received, outcome };
}

/**
 * Turns a stored message (status RECEIVED) into a ticket, a reply or a note. Exactly once: the row
 * is marked PROCESSED inside the transaction that writes the ticket or reply, on the condition it
 * is still RECEIVED — a second worker on the same message (another instance, a retry after a crash)
 * rolls back. Failures that may pass (the database away) leave it RECEIVED for the next pass; after
 * MAX_ATTEMPTS, or when the message itself is the problem, it is FAILED with the reason, kept whole.
 */
export async function processInbound(id: string, now = new Date()): Promise<Outcome> {
	const row = await db().inboundMail.findUnique({
		where: { id },
		select: { status: true, raw: true, accountId: true, attempts: true }
	});
	if (!row || row.status !== 'RECEIVED') return { status: 'SKIPPED' };
	await db().inboundMail.update({ where: { id }, data: { attempts: { increment: 1 } } });
	let mail: ParsedMail;
	try {
		mail = await parseMail(Buffer.from(row.raw));
	} catch (err) {
		return finish(id, 'FAILED', `Could not be parsed: ${(err as Error).message}`);
	}
	try {
		return await route(id, mail, row.accountId, now);
	} catch (err) {
		if (err instanceof AlreadyDone) return { status: 'SKIPPED' };
		const message = (err as Error).message;
		log.warn({ err, inbound: id }, 'mail: import failed');
		if (row.attempts + 1 >= MAX_ATTEMPTS)
			return finish(id, 'FAILED', `Could not be imported: ${message}`);
		await db().inboundMail.update({ where: { id }, data: { reason: message } });
		return { status: 'SKIPPED' };
	}
}

class AlreadyDone extends Error {}

async function finish(id: string, status: 'IGNORED' | 'FAILED', reason: string): Promise<Outcome> {
	await db().inboundMail.updateMany({
		where: { id, status: 'RECEIVED' },
		data: { status, reason, processedAt: new Date() }
	});
	return { status, reason };
}

interface Account {
	id: string;
	address: string;
	groupId: string | null;
	typeId: string | null;
	priority: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
}

async function route(
	id: string,
	mail: ParsedMail,
	accountId: string | null,
	now: Date
): Promise<Outcome> {
	if (!mail.from) return finish(id, 'FAILED', 'The message has no sender.');
	const ours = await db().mailAccount.findMany({
		select: { id: true, address: true, groupId: true, typeId: true, priority: true }
	});
	const ourAddresses = new Set(ours.map((a) => a.address.toLowerCase()));
	if (ourAddresses.has(mail.from.address))
		return finish(id, 'IGNORED', 'Sent from one of our own addresses (a mail loop).');
	const recent = await db().inboundMail.count({
		where: {
			fromAddress: mail.from.address,
			receivedAt: { gt: new Date(now.getTime() - 3_600_000) },
			id: { not: id }
		}
	});
	if (recent >= SENDER_LIMIT_PER_HOUR)
		return finish(
			id,
			'FAILED',
			`Rate limited: more than ${SENDER_LIMIT_PER_HOUR} messages from this sender within an hour.`
		);
	const account = ours.find((a) => a.id === accountId) ?? null;

	if (mail.bounce) return bounce(id, mail);
	const sender = await db().user.findUnique({
		where: { email: mail.from.address },
		select: { id: true, role: true, active: true }
	});
	const thread = await findTicket(mail, sender?.id ?? null);
	if (mail.autoReply) {
		if (!thread) return finish(id, 'IGNORED', 'An automatic reply to nothing we sent.');
		return note(id, mail, thread.ticketId, `Automatic reply from ${mail.from.address}`);
	}
	const staff = !!sender?.active && (STAFF_ROLES as readonly string[]).includes(sender.role);
	if (thread && !(thread.status === 'CLOSED' && !staff)) {
		return reply(id, mail, thread.ticketId, staff, ourAddresses);
	}
	return newTicket(id, mail, account, ourAddresses, thread?.number ?? null);
}

/** Marks the inbound row done inside the writing transaction (or rolls it back: done elsewhere). */
async function claim(
	tx: Tx,
	id: string,
	ticketId: string,
	entryId: string | null,
	mail: ParsedMail
) {
	const n = await tx.inboundMail.updateMany({
		where: { id, status: 'RECEIVED' },
		data: { status: 'PROCESSED', ticketId, entryId, processedAt: new Date(), reason: null }
	});
	if (n.count !== 1) throw new AlreadyDone();
	if (mail.messageId) {
		await tx.mailMessageRef.createMany({
			data: [{ messageId: mail.messageId, ticketId, entryId }],
			skipDuplicates: true
		});
	}
}

/** CCs (and other recipients that are not our addresses) become watchers. */
async function addWatchers(
	tx: Tx,
	ticketId: string,
	mail: ParsedMail,
	ours: Set<string>,
	skip: string
) {
	const people = [...mail.to, ...mail.cc].filter(
		(a) => !ours.has(a.address) && a.address !== skip && !a.address.includes('+t')
	);
	for (const p of people.slice(0, 20)) {
		const userId = await requesterByEmail(tx, p.address, p.name ?? undefined);
		await tx.ticketWatcher.createMany({ data: [{ ticketId, userId }], skipDuplicates: true });
	}
}

/** Stored files: ids to attach, and each one's Content-ID for inline images (linkInlineImages). */
async function storeFiles(mail: ParsedMail, ticketId: string | null) {
	const limit = await getUploadLimitBytes();
	const ids: string[] = [];
	const inline: { id: string; contentId: string | null }[] = [];
	for (const a of mail.attachments) {
		if (a.size > limit || a.size === 0) continue;
		const stored = await storeUpload(
			{ userId: null, ticketToken: ticketId },
			(async function* () {
				yield new Uint8Array(a.content);
			})(),
			{ filename: a.filename, declaredType: a.contentType, declaredSize: a.size },
			limit
		);
		ids.push(stored.id);
		inline.push({ id: stored.id, contentId: a.contentId });
	}
	return { ids, inline };
}

/** The sanitised HTML with cid: images pointed at their stored files; null: no HTML part. */
const htmlOf = (mail: ParsedMail, files: Awaited<ReturnType<typeof storeFiles>>) =>
	mail.html ? linkInlineImages(mail.html, files.inline) : null;

async function attach(tx: Tx, ids: string[], ticketId: string, entryId: string | null) {
	if (!ids.length) return;
	await tx.attachment.updateMany({
		where: { id: { in: ids }, ticketId: null, uploaderId: null },
		data: { ticketId, entryId }
	});
}

const subjectOf = (s: string) => {
	const clean = s.replace(/\s+/g, ' ').trim() || '(no subject)';
	const padded = clean.length < 3 ? `${clean} (email)` : clean;
	return padded.length > 200 ? `${padded.slice(0, 199)}…` : padded;
};
const bodyOf = (text: string, max: number) =>
	text.length > max
		? `${text.slice(0, max - 120)}\n\n… (shortened here; the whole message is kept with the original email)`
		: text || '(no text)';

async function newTicket(
	id: string,
	mail: ParsedMail,
	account: Account | null,
	ours: Set<string>,
	followUpOf: number | null
): Promise<Outcome> {
	const files = await storeFiles(mail, null);
	const from = mail.from!;
	const description = bodyOf(mail.text, 50_000);
	const { ticket } = await createTicket(
		{ viewer: null },
		{
			subject: subjectOf(mail.subject),
			description: followUpOf
				? `Follow-up to #${followUpOf} (closed).\n\n${description}`
				: description,
			requester: { email: from.address, name: from.name ?? undefined },
			...(account?.groupId ? { groupId: account.groupId } : {}),
			...(account?.typeId ? { typeId: account.typeId } : {}),
			priority: account?.priority ?? 'MEDIUM'
		},
		{
			source: 'EMAIL',
			trusted: true,
			descriptionHtml: htmlOf(mail, files) ?? htmlOfText(description),
			within: async (tx, { ticketId }) => {
				await claim(tx, id, ticketId, null, mail);
				await attach(tx, files.ids, ticketId, null);
				await addWatchers(tx, ticketId, mail, ours, from.address);
			}
		}
	);
	return { status: 'PROCESSED', ticketId: ticket.id, entryId: null, created: true };
}

async function reply(
	id: string,
	mail: ParsedMail,
	ticketId: string,
	staff: boolean,
	ours: Set<string>
): Promise<Outcome> {
	const from = mail.from!;
	const userId = await db().$transaction((tx) =>
		requesterByEmail(tx, from.address, from.name ?? undefined)
	);
	const files = await storeFiles(mail, ticketId);
	const body = bodyOf(mail.text, 100_000);
	const entry = await addEntry(
		{
			as: { ticketId, userId, staff },
			source: 'EMAIL',
			bodyHtml: htmlOf(mail, files) ?? htmlOfText(body),
			within: async (tx, ids) => {
				await claim(tx, id, ticketId, ids.entryId, mail);
				await attach(tx, files.ids, ticketId, ids.entryId);
				await addWatchers(tx, ticketId, mail, ours, from.address);
			}
		},
		{ ticket: ticketId, kind: 'REPLY', body }
	);
	return { status: 'PROCESSED', ticketId, entryId: entry.id, created: false };
}

/** Auto-replies and bounces: an internal note, no status change, no reply back. */
async function note(
	id: string,
	mail: ParsedMail,
	ticketId: string,
	title: string
): Promise<Outcome> {
	const body = `${title}: ${mail.subject}\n\n${bodyOf(mail.text, 20_000)}`;
	const entryId = await db().$transaction(async (tx) => {
		const entry = await tx.ticketEntry.create({
			data: {
				ticketId,
				authorId: null,
				via: `mail: ${title.toLowerCase()}`,
				kind: 'NOTE',
				body,
				bodyHtml: htmlOfText(body),
				source: 'EMAIL'
			},
			select: { id: true }
		});
		await claim(tx, id, ticketId, entry.id, mail);
		return entry.id;
	});
	return { status: 'PROCESSED', ticketId, entryId, created: false };
}

async function bounce(id: string, mail: ParsedMail): Promise<Outcome> {
	const original = mail.bounce?.originalMessageId;
	const ref = original
		? await db().mailMessageRef.findUnique({
				where: { messageId: original },
				select: { ticketId: true }
			})
		: null;
	if (!ref) return finish(id, 'IGNORED', 'A delivery failure report for no message of ours.');
	const who = mail.bounce?.recipients.join(', ') || 'a recipient';
	if (original) {
		await db().outboundMail.updateMany({
			where: { messageId: original },
			data: {
				status: 'FAILED',
				lastError: `Bounced by ${who} (${mail.bounce?.status ?? 'no status'})`
			}
		});
	}
	return note(id, mail, ref.ticketId, `Delivery failed to ${who}`);
}

/** The job's sweep: messages left RECEIVED (a crash mid-import, a database outage) are retried. */
export async function processPending(olderThanMs = 30_000, limit = 100): Promise<number> {
	const rows = await db().inboundMail.findMany({
		where: { status: 'RECEIVED', receivedAt: { lt: new Date(Date.now() - olderThanMs) } },
		orderBy: { receivedAt: 'asc' },
		take: limit,
		select: { id: true }
	});
	for (const r of rows) await processInbound(r.id);
	return rows.length;
}
