import { z } from 'zod';
import { db } from '../db/client';
import { AppError, notFound } from '../errors';
import { notify } from '../identity/notifications';
import { ticketIdByToken, ticketKey, type Scope } from './access';
import { publishUpdated } from './live';
import { csatOpen, parseFields } from './requester';
import { statusTimestamps } from './update';
import { applySla } from '../sla/apply';
import type { Prisma } from '../db/generated/client';

/**
 * What only a ticket's requester may do once the desk has answered: rate the help (CSAT) and
 * reopen a resolved ticket. The requester proves who they are with the private link's token, or
 * by being signed in as the ticket's requester (the portal).
 */
export type RequesterAuth = { token: string } | { scope: Scope; ticket: string | number };

export const csatSchema = z.object({
	rating: z
		.number({ error: 'Choose a rating from 1 to 5.' })
		.int('Choose a rating from 1 to 5.')
		.min(1, 'Choose a rating from 1 to 5.')
		.max(5, 'Choose a rating from 1 to 5.'),
	comment: z
		.string()
		.trim()
		.max(2000, 'The comment must be at most 2,000 characters.')
		.nullish()
		.transform((c) => c || null)
});
export type CsatInput = z.input<typeof csatSchema>;

const select = {
	id: true,
	number: true,
	subject: true,
	status: true,
	groupId: true,
	assigneeId: true,
	requesterId: true,
	csatRating: true,
	csatAt: true,
	mergedInto: { select: { number: true } }
} satisfies Prisma.TicketSelect;

async function requesterTicket(auth: RequesterAuth) {
	const where: Prisma.TicketWhereInput =
		'token' in auth
			? { id: await ticketIdByToken(auth.token) }
			: { AND: [ticketKey(auth.ticket), auth.scope.where, { requesterId: auth.scope.viewer.id }] };
	const t = await db().ticket.findFirst({ where, select });
	if (!t) throw notFound('Ticket not found.');
	if (t.mergedInto) {
		throw new AppError(
			'CONFLICT',
			`This ticket was merged into #${t.mergedInto.number}. Follow that ticket instead.`
		);
	}
	return t;
}

const facts = (t: { id: string; number: number } & Record<string, unknown>) => ({
	id: t.id,
	number: t.number,
	groupId: t.groupId as string | null,
	assigneeId: t.assigneeId as string | null,
	requesterId: t.requesterId as string
});

/**
 * Rates a resolved or closed ticket 1–5 with an optional comment. Given once; the requester may
 * change it for 7 days after first rating (csatAt keeps that first moment).
 */
export async function rate(auth: RequesterAuth, raw: CsatInput) {
	const input = parseFields(csatSchema, raw);
	const t = await requesterTicket(auth);
	if (t.status !== 'RESOLVED' && t.status !== 'CLOSED') {
		throw new AppError('CONFLICT', 'You can rate a ticket once it is resolved.');
	}
	if (!csatOpen(t)) {
		throw new AppError('CONFLICT', 'This rating can no longer be changed (7 days have passed).');
	}
	const now = new Date();
	await db().$transaction(async (tx) => {
		const { count } = await tx.ticket.updateMany({
			where: { id: t.id, status: { in: ['RESOLVED', 'CLOSED'] }, csatRating: t.csatRating },
			data: {
				csatRating: input.rating,
				csatComment: input.comment,
				...(t.csatAt ? {} : { csatAt: now })
			}
		});
		if (count === 0) throw new AppError('CONFLICT', 'This ticket just changed. Please reload.');
		await tx.ticketEvent.create({
			data: {
				ticketId: t.id,
				actorId: t.requesterId,
				field: 'csat',
				fromValue: t.csatRating === null ? null : String(t.csatRating),
				toValue: String(input.rating)
			}
		});
	});
	await publishUpdated(facts(t), t.requesterId, ['csat']);
	return { rating: input.rating, comment: input.comment };
}

/**
 * The requester reopens a resolved ticket (→ Open, with its history row). A closed ticket stays
 * closed: the requester opens a new one. An open ticket is left as it is.
 */
export async function reopen(auth: RequesterAuth) {
	const t = await requesterTicket(auth);
	if (t.status === 'CLOSED') {
		throw new AppError('CONFLICT', 'This ticket is closed. Please open a new ticket.');
	}
	if (t.status !== 'RESOLVED') return { number: t.number, status: t.status };
	await db().$transaction(async (tx) => {
		const { count } = await tx.ticket.updateMany({
			where: { id: t.id, status: 'RESOLVED' },
			data: {
				status: 'OPEN',
				version: { increment: 1 },
				...statusTimestamps('RESOLVED', 'OPEN')
			}
		});
		if (count === 0) throw new AppError('CONFLICT', 'This ticket just changed. Please reload.');
		await tx.ticketEvent.create({
			data: {
				ticketId: t.id,
				actorId: t.requesterId,
				field: 'status',
				fromValue: 'RESOLVED',
				toValue: 'OPEN'
			}
		});
		await applySla(tx, t.id, 'reopened by the requester');
	});
	await publishUpdated(facts(t), t.requesterId, ['status']);
	if (t.assigneeId) {
		await notify(t.assigneeId, {
			type: 'ticket.activity',
			title: `Requester reopened #${t.number}: ${t.subject}`,
			link: `/app/tickets/${t.number}`
		});
	}
	return { number: t.number, status: 'OPEN' as const };
}
