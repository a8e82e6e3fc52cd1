import { createHash } from 'node:crypto';
import { db } from '../db/client';
import type { MailChannel, Received } from './types';

/** Larger messages are kept (whole) in the failed list instead of being imported. */
export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export function maxMailBytes(): number {
	const v = Number(process.env.MAIL_MAX_BYTES);
	return Number.isFinite(v) && v > 0 ? v : DEFAULT_MAX_BYTES;
}

/** The header block (up to the first empty line), unfolded, for a few fields before parsing. */
function headerValue(raw: Buffer, name: string): string | null {
	const head = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
	const end = head.search(/\r?\n\r?\n/);
	const block = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
	const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(block);
	return m?.[1]?.trim() || null;
}

/**
 * The key that makes a message unique: its Message-ID, or — when it has none — a hash of its
 * bytes (the same file delivered twice is the same message; a resend with new headers is not).
 */
export function dedupeKeyOf(raw: Buffer): { key: string; messageId: string | null } {
	const id =
		headerValue(raw, 'message-id')
			?.replace(/^<+|>+$/g, '')
			.trim() || null;
	if (id) return { key: `mid:${id}`, messageId: id };
	return { key: `sha256:${createHash('sha256').update(raw).digest('hex')}`, messageId: null };
}

/**
 * Stores one raw message exactly once (step one of intake; mail/ingest.ts turns it into a ticket
 * or reply). A message seen before — by Message-ID, or by content when it has none — returns the
 * earlier row with `duplicate: true`, whichever instance or channel got it first. Callers may then
 * acknowledge it at the source (mark seen, delete): it is safe in the database.
 */
export async function storeRaw(
	raw: Buffer,
	meta: { channel: MailChannel; accountId: string | null }
): Promise<Received> {
	const { key, messageId } = dedupeKeyOf(raw);
	const tooLarge = raw.length > maxMailBytes();
	const from = headerValue(raw, 'from');
	const address = from ? (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase() : null;
	const [row] = await db().$queryRaw<{ id: string }[]>`
		INSERT INTO "InboundMail" (id, "accountId", channel, "dedupeKey", "messageId", "fromAddress",
			subject, size, raw, status, reason)
		VALUES (gen_random_uuid(), ${meta.accountId}::uuid, ${meta.channel}, ${key}, ${messageId},
			${address?.slice(0, 320) ?? null}, ${headerValue(raw, 'subject')?.slice(0, 500) ?? null},
			${raw.length}, ${raw}, ${tooLarge ? 'FAILED' : 'RECEIVED'}::"InboundStatus",
			${tooLarge ? `Larger than the limit of ${Math.round(maxMailBytes() / 1024 / 1024)} MB.` : null})
		ON CONFLICT ("dedupeKey") DO NOTHING
		RETURNING id`;
	if (row) return { id: row.id, duplicate: false };
	const earlier = await db().inboundMail.findUniqueOrThrow({
		where: { dedupeKey: key },
		select: { id: true }
	});
	return { id: earlier.id, duplicate: true };
}
