import type { Readable } from 'node:stream';
import { db } from '../db/client';
import { AppError, notFound } from '../errors';
import { log } from '../log';
import type { Prisma } from '../db/generated/client';
import { requireTicket, ticketIdByToken, type Scope } from './access';
import { attachmentClaim, checkAttachmentClaim, type ClaimBinding } from './attachments-claims';
import {
	cleanFilename,
	openFile,
	removeFile,
	sweepTemp,
	tooLarge,
	writeBody,
	type Body
} from './attachments-store';

/**
 * Ticket attachments. A file is uploaded first (a pending row: no ticket yet) and attached when
 * the ticket or message it belongs to is sent, inside that transaction. Who may read a file
 * follows its ticket: the ticket's visibility, and internal notes' files only for staff.
 * Anything one may not see is NOT_FOUND, exactly like a missing file.
 */
type Tx = Prisma.TransactionClient;

export interface UploadOwner {
	/** The signed-in uploader; null for people without an account. */
	userId: string | null;
	/** Anonymous uploads through a private link: the id of the ticket the link leads to. */
	ticketToken?: string | null;
}

export interface StoredAttachment {
	id: string;
	filename: string;
	size: number;
	contentType: string;
	/** Anonymous uploads only: the proof to send back with the id when attaching it. */
	claim?: string;
}

const bindingOf = (ticketId: string | null | undefined): ClaimBinding =>
	ticketId ? { ticketId } : 'submit';

/**
 * Streams an upload to disk (never buffered whole), sniffs its type from its bytes and records a
 * pending row. Too large (declared or counted) → PAYLOAD_TOO_LARGE; empty → BAD_REQUEST; either
 * way nothing is left on disk or in the database.
 */
export async function storeUpload(
	owner: UploadOwner,
	body: Body,
	meta: { filename: string; declaredType?: string | null; declaredSize?: number | null },
	limitBytes: number
): Promise<StoredAttachment> {
	if (meta.declaredSize != null && meta.declaredSize > limitBytes) throw tooLarge(limitBytes);
	const filename = cleanFilename(meta.filename);
	const written = await writeBody(body, limitBytes);
	let row: { id: string };
	try {
		row = await db().attachment.create({
			data: {
				uploaderId: owner.userId,
				filename,
				contentType: written.contentType,
				size: written.size,
				sha256: written.sha256,
				storageKey: written.storageKey
			},
			select: { id: true }
		});
	} catch (err) {
		await removeFile(written.storageKey);
		throw err;
	}
	const stored: StoredAttachment = {
		id: row.id,
		filename,
		size: written.size,
		contentType: written.contentType
	};
	if (!owner.userId) stored.claim = await attachmentClaim(row.id, bindingOf(owner.ticketToken));
	return stored;
}

export interface AttachTarget {
	ticketId: string;
	/** Null: the ticket's own files (sent with its description). */
	entryId: string | null;
	/** The signed-in author: only their own pending uploads can be attached. */
	uploaderId: string | null;
	/** Anonymous authors by private link: the id of that ticket (the claims are bound to it). */
	ticketToken?: string | null;
	/** Anonymous authors: attachment id → the claim its upload answered with. */
	claims?: Record<string, string>;
}

const UNUSABLE = 'An attachment is unknown or was already sent. Please add it again.';

/**
 * Attaches pending uploads to a ticket or message, inside the caller's transaction. A signed-in
 * author attaches only what they uploaded; an anonymous one only uploads whose claim matches
 * (public form, or this ticket's private link). Unknown, foreign or already attached ids are a
 * BAD_REQUEST on `attachmentIds`, and nothing is attached.
 */
export async function attachToEntry(tx: Tx, ids: string[], target: AttachTarget): Promise<void> {
	const unique = [...new Set(ids)];
	if (!unique.length) return;
	const refuse = () => new AppError('BAD_REQUEST', UNUSABLE, { attachmentIds: [UNUSABLE] });

	if (!target.uploaderId) {
		const binding = bindingOf(target.ticketToken);
		for (const id of unique) {
			if (!(await checkAttachmentClaim(id, target.claims?.[id], binding))) throw refuse();
		}
	}
	// One conditional update: a concurrent claim of the same upload waits on the row lock, then
	// no longer matches `ticketId: null`, so the count tells.
	const { count } = await tx.attachment.updateMany({
		where: { id: { in: unique }, ticketId: null, uploaderId: target.uploaderId },
		data: { ticketId: target.ticketId, entryId: target.entryId }
	});
	if (count !== unique.length) throw refuse();
}

export type AttachmentAccess = { scope: Scope } | { ticketToken: string };

export interface OpenedAttachment {
	stream: Readable;
	filename: string;
	contentType: string;
	size: number;
	sha256: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Requesters never see files of internal notes. */
const PUBLIC_ONLY: Prisma.AttachmentWhereInput = {
	OR: [{ entryId: null }, { entry: { is: { kind: 'REPLY' } } }]
};

async function visibleWhere(
	access: AttachmentAccess,
	id: string
): Promise<Prisma.AttachmentWhereInput> {
	if ('ticketToken' in access) {
		const ticketId = await ticketIdByToken(access.ticketToken);
		return { AND: [{ id, ticketId }, PUBLIC_ONLY] };
	}
	const { scope } = access;
	const onTicket: Prisma.AttachmentWhereInput = {
		AND: [
			{ ticketId: { not: null } },
			{ ticket: { is: scope.where } },
			...(scope.staff ? [] : [PUBLIC_ONLY])
		]
	};
	return { id, OR: [{ ticketId: null, uploaderId: scope.viewer.id }, onTicket] };
}

/** A file to download, if the caller may see it; NOT_FOUND otherwise. */
export async function openAttachment(
	access: AttachmentAccess,
	id: string
): Promise<OpenedAttachment> {
	const missing = () => notFound('Attachment not found.');
	if (!UUID_RE.test(id)) throw missing();
	let where: Prisma.AttachmentWhereInput;
	try {
		where = await visibleWhere(access, id);
	} catch (err) {
		if (err instanceof AppError && err.code === 'NOT_FOUND') throw missing();
		throw err;
	}
	const row = await db().attachment.findFirst({
		where,
		select: { filename: true, contentType: true, sha256: true, storageKey: true }
	});
	if (!row) throw missing();
	const file = await openFile(row.storageKey);
	if (!file) {
		log.error({ attachmentId: id, storageKey: row.storageKey }, 'attachment file is missing');
		throw missing();
	}
	return {
		stream: file.stream,
		filename: row.filename,
		contentType: row.contentType,
		size: file.size,
		sha256: row.sha256
	};
}

export interface AttachmentItem {
	id: string;
	filename: string;
	contentType: string;
	size: number;
	entryId: string | null;
	uploaderId: string | null;
	createdAt: Date;
}

/** A ticket's files for its page: notes' files only for staff. */
export async function listTicketAttachments(
	scope: Scope,
	ticketRef: string | number
): Promise<AttachmentItem[]> {
	const ticket = await requireTicket(scope, ticketRef);
	const rows = await db().attachment.findMany({
		where: { AND: [{ ticketId: ticket.id }, ...(scope.staff ? [] : [PUBLIC_ONLY])] },
		orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
		select: {
			id: true,
			filename: true,
			contentType: true,
			size: true,
			entryId: true,
			uploaderId: true,
			createdAt: true
		}
	});
	return rows.map((r) => ({ ...r, size: Number(r.size) }));
}

/**
 * Deletes uploads never attached to anything within `olderThanMs`, and their files, plus partial
 * files a crash left behind. The delete and its RETURNING are one statement, so an upload
 * attached meanwhile is kept.
 */
export async function deleteStaleUploads(olderThanMs: number, now = Date.now()): Promise<number> {
	const cutoff = new Date(now - olderThanMs);
	const gone = await db().$queryRaw<{ storageKey: string }[]>`
		DELETE FROM "Attachment" WHERE "ticketId" IS NULL AND "createdAt" < ${cutoff}
		RETURNING "storageKey"`;
	for (const { storageKey } of gone) {
		await removeFile(storageKey).catch((err: unknown) =>
			log.warn({ err, storageKey }, 'could not delete a stale upload')
		);
	}
	await sweepTemp(olderThanMs, now);
	return gone.length;
}
