import { STAFF_ROLES } from '$lib/permissions';
import { afterRules, runRules } from '../automation/engine';
import { nudgeMail, queueTicketMail } from '../mail/outbound';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { AppError, forbidden, notFound } from '../errors';
import { notify } from '../identity/notifications';
import { attachToEntry } from './attachments';
import { publishEntry, publishUpdated } from './live';
import { mentionedIds, plainText, renderMarkdown } from './markdown';
import {
	entryCreateSchema,
	type EntryCreateInput,
	type TicketStatusName,
	type TicketSourceName
} from './schemas';
import { statusTimestamps } from './update';
import { applySla } from '../sla/apply';
import { ticketKey, type Scope } from './access';

export interface EntryAuthor {
	/** A signed-in person's scope, or a requester holding the private link. */
	scope?: Scope;
	/** Requesters by private link: the ticket's requester is the author. */
	token?: { ticketId: string; claims?: Record<string, string> };
	/** Intake the helpdesk runs (mail): this person writes on this ticket. */
	as?: { ticketId: string; userId: string; staff: boolean };
	source?: TicketSourceName;
	/** The body as HTML already safe to show (mail: sanitised), instead of rendering it. */
	bodyHtml?: string;
	/** Runs inside the writing transaction (e.g. marking an inbound mail as turned into it). */
	within?: (
		tx: Prisma.TransactionClient,
		ids: { ticketId: string; entryId: string }
	) => Promise<void>;
}

/**
 * The status a message moves the ticket to: a requester's reply brings a pending or resolved
 * ticket back to Open; an agent's first public reply opens a New one. Staff may choose.
 */
function nextStatus(
	current: TicketStatusName,
	byStaff: boolean,
	kind: 'REPLY' | 'NOTE',
	chosen?: TicketStatusName
): TicketStatusName {
	if (byStaff) {
		if (chosen) return chosen;
		return kind === 'REPLY' && current === 'NEW' ? 'OPEN' : current;
	}
	return current === 'PENDING' || current === 'RESOLVED' || current === 'ON_HOLD'
		? 'OPEN'
		: current;
}

/**
 * Adds a public reply or an internal note. Notes are staff-only. A requester cannot write on a
 * closed ticket (they open a new one). Watchers, the assignee and mentioned agents are told.
 */
export async function addEntry(author: EntryAuthor, raw: EntryCreateInput) {
	const input = entryCreateSchema.parse(raw);
	const scope = author.scope;
	const byStaff = scope?.staff ?? author.as?.staff ?? false;
	if (input.kind === 'NOTE' && !byStaff) throw forbidden('Only agents can write internal notes.');

	const where = author.token
		? { id: author.token.ticketId }
		: author.as
			? { id: author.as.ticketId }
			: { AND: [ticketKey(input.ticket), scope!.where] };
	const ticket = await db().ticket.findFirst({
		where,
		select: {
			id: true,
			number: true,
			subject: true,
			status: true,
			version: true,
			groupId: true,
			assigneeId: true,
			requesterId: true,
			firstResponseAt: true,
			mergedInto: { select: { number: true } }
		}
	});
	if (!ticket) throw notFound('Ticket not found.');
	if (ticket.mergedInto) {
		throw new AppError(
			'CONFLICT',
			`This ticket was merged into #${ticket.mergedInto.number}. Reply there.`
		);
	}
	if (!byStaff && ticket.status === 'CLOSED') {
		throw new AppError('CONFLICT', 'This ticket is closed. Please open a new ticket.');
	}
	const authorId = scope?.viewer.id ?? author.as?.userId ?? ticket.requesterId;
	const status = nextStatus(ticket.status, byStaff, input.kind, byStaff ? input.status : undefined);
	const firstResponse =
		byStaff && input.kind === 'REPLY' && !ticket.firstResponseAt && authorId !== ticket.requesterId;
	const mentions = input.kind === 'NOTE' ? mentionedIds(input.body) : [];
	const source = author.source ?? (byStaff ? 'AGENT' : author.token ? 'FORM' : 'PORTAL');

	const entry = await db().$transaction(async (tx) => {
		const validMentions = mentions.length
			? (
					await tx.user.findMany({
						where: { id: { in: mentions }, active: true, role: { in: [...STAFF_ROLES] } },
						select: { id: true }
					})
				).map((u) => u.id)
			: [];
		const row = await tx.ticketEntry.create({
			data: {
				ticketId: ticket.id,
				authorId,
				kind: input.kind,
				body: input.body,
				bodyHtml: author.bodyHtml ?? renderMarkdown(input.body),
				source,
				mentions: validMentions
			},
			select: { id: true, kind: true, createdAt: true, mentions: true }
		});
		if (input.attachmentIds.length) {
			await attachToEntry(tx, input.attachmentIds, {
				ticketId: ticket.id,
				entryId: row.id,
				uploaderId: scope?.viewer.id ?? null,
				ticketToken: author.token ? ticket.id : null,
				claims: author.token?.claims
			});
		}
		if (author.within) await author.within(tx, { ticketId: ticket.id, entryId: row.id });
		const statusChanged = status !== ticket.status;
		await tx.ticket.update({
			where: { id: ticket.id },
			data: {
				updatedAt: new Date(),
				...(firstResponse ? { firstResponseAt: new Date() } : {}),
				...(statusChanged
					? { status, version: { increment: 1 }, ...statusTimestamps(ticket.status, status) }
					: {})
			}
		});
		if (statusChanged) {
			await tx.ticketEvent.create({
				data: {
					ticketId: ticket.id,
					actorId: authorId,
					field: 'status',
					fromValue: ticket.status,
					toValue: status
				}
			});
		}
		if (statusChanged || firstResponse) {
			const why = [
				...(firstResponse ? ['first response'] : []),
				...(statusChanged ? [`status ${ticket.status} → ${status}`] : [])
			];
			await applySla(tx, ticket.id, why.join(', '));
		}
		// A public reply by staff goes to the requester (and the people copied in) by mail.
		const mailed =
			byStaff && input.kind === 'REPLY'
				? await queueTicketMail(tx, {
						kind: 'ticket.reply',
						ticketId: ticket.id,
						entryId: row.id,
						authorId,
						body: input.body
					})
				: 0;
		const automation = await runRules(tx, ticket.id, 'REPLIED', {
			actorId: authorId,
			reply: {
				body: input.body,
				author: byStaff ? 'agent' : 'requester',
				kind: input.kind === 'NOTE' ? 'internal' : 'public'
			},
			...(statusChanged ? { changes: { status: { from: ticket.status, to: status } } } : {})
		});
		return { ...row, statusChanged, automation, mailed };
	});

	const facts = {
		id: ticket.id,
		number: ticket.number,
		groupId: ticket.groupId,
		assigneeId: ticket.assigneeId,
		requesterId: ticket.requesterId
	};
	await publishEntry(facts, authorId, entry.id, input.kind);
	if (entry.statusChanged) await publishUpdated(facts, authorId, ['status']);
	await notifyAbout(ticket, authorId, input.kind, entry.mentions, input.body);
	await afterRules(entry.automation);
	if (entry.mailed) await nudgeMail();
	return { id: entry.id, kind: entry.kind, createdAt: entry.createdAt, status };
}

async function notifyAbout(
	ticket: {
		id: string;
		number: number;
		subject: string;
		assigneeId: string | null;
		requesterId: string;
	},
	authorId: string,
	kind: 'REPLY' | 'NOTE',
	mentions: string[],
	body: string
) {
	const link = `/app/tickets/${ticket.number}`;
	const preview = plainText(body, 140);
	for (const userId of mentions) {
		if (userId === authorId) continue;
		await notify(userId, {
			type: 'ticket.mentioned',
			title: `You were mentioned on #${ticket.number}`,
			body: preview,
			link
		});
	}
	const watchers = await db().ticketWatcher.findMany({
		where: { ticketId: ticket.id, user: { active: true, role: { in: [...STAFF_ROLES] } } },
		select: { userId: true }
	});
	const audience = new Set(watchers.map((w) => w.userId));
	if (ticket.assigneeId) audience.add(ticket.assigneeId);
	for (const userId of audience) {
		if (userId === authorId || mentions.includes(userId)) continue;
		const what =
			kind === 'NOTE'
				? 'New note'
				: authorId === ticket.requesterId
					? 'Requester replied'
					: 'New reply';
		await notify(userId, {
			type: 'ticket.activity',
			title: `${what} on #${ticket.number}: ${ticket.subject}`,
			body: preview,
			link
		});
	}
}
