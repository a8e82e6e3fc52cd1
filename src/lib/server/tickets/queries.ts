import { db } from '../db/client';
import { notFound } from '../errors';
import { ticketKey, type Scope } from './access';
import { ticketSelect } from './select';
import type { Prisma } from '../db/generated/client';

const attachmentSelect = { id: true, filename: true, contentType: true, size: true } as const;

const entrySelect = {
	id: true,
	kind: true,
	bodyHtml: true,
	source: true,
	createdAt: true,
	/** "rule: <name>" when an automation rule wrote it (no author). */
	via: true,
	author: { select: { id: true, name: true, email: true, role: true } },
	attachments: { select: attachmentSelect, orderBy: { createdAt: 'asc' } }
} satisfies Prisma.TicketEntrySelect;

/**
 * One ticket as its page shows it: properties, the conversation (internal notes only for staff),
 * attachments, and for staff the history, watchers, links and the requester's other tickets. A
 * fixed number of queries whatever the conversation's length.
 */
export async function getTicket(scope: Scope, ref: string | number) {
	const staff = scope.staff;
	const ticket = await db().ticket.findFirst({
		where: { AND: [ticketKey(ref), scope.where] },
		select: {
			...ticketSelect,
			requester: {
				select: {
					id: true,
					name: true,
					email: true,
					role: true,
					title: true,
					department: true,
					phone: true
				}
			},
			entries: {
				where: staff ? {} : { kind: 'REPLY' },
				select: entrySelect,
				orderBy: { createdAt: 'asc' }
			},
			attachments: {
				where: { entryId: null },
				select: attachmentSelect,
				orderBy: { createdAt: 'asc' }
			},
			mergedFrom: { select: { number: true, subject: true } },
			...(staff
				? {
						watchers: { select: { user: { select: { id: true, name: true } } } },
						linksFrom: {
							select: {
								id: true,
								kind: true,
								to: { select: { id: true, number: true, subject: true, status: true } }
							}
						},
						linksTo: {
							select: {
								id: true,
								kind: true,
								from: { select: { id: true, number: true, subject: true, status: true } }
							}
						}
					}
				: {})
		}
	});
	if (!ticket) throw notFound('Ticket not found.');
	return ticket;
}

/** History (staff): every change, oldest first, with who made it. */
export async function ticketHistory(scope: Scope, ref: string | number, limit = 500) {
	if (!scope.staff) throw notFound('Ticket not found.');
	const t = await db().ticket.findFirst({
		where: { AND: [ticketKey(ref), scope.where] },
		select: { id: true }
	});
	if (!t) throw notFound('Ticket not found.');
	return db().ticketEvent.findMany({
		where: { ticketId: t.id },
		orderBy: { id: 'asc' },
		take: limit,
		select: {
			id: true,
			field: true,
			fromValue: true,
			toValue: true,
			createdAt: true,
			via: true,
			actor: { select: { id: true, name: true } }
		}
	});
}

/** The requester's other recent tickets (the requester card on the ticket page). */
export async function requesterTickets(scope: Scope, requesterId: string, exceptId?: string) {
	return db().ticket.findMany({
		where: {
			AND: [
				scope.where,
				{ requesterId, mergedIntoId: null },
				exceptId ? { id: { not: exceptId } } : {}
			]
		},
		orderBy: { updatedAt: 'desc' },
		take: 5,
		select: { id: true, number: true, subject: true, status: true, updatedAt: true }
	});
}
