import { z } from 'zod';
import { db } from '../db/client';
import { AppError, forbidden, notFound } from '../errors';
import { ticketKey, type Scope } from './access';
import { publishUpdated } from './live';
import { ticketRefSchema } from './schemas';
import { audienceSelect } from './select';

export const LINK_KINDS = ['RELATED', 'DUPLICATE', 'PARENT_CHILD'] as const;
export type LinkKindName = (typeof LINK_KINDS)[number];

export const linkSchema = z.object({
	ticket: ticketRefSchema,
	other: ticketRefSchema,
	/** PARENT_CHILD: `ticket` is the parent, `other` the child. */
	kind: z.enum(LINK_KINDS, { error: 'Choose a kind of link.' }).default('RELATED')
});
export type LinkInput = z.input<typeof linkSchema>;

export const unlinkSchema = z.object({ ticket: ticketRefSchema, link: z.uuid('Unknown link.') });
export type UnlinkInput = z.input<typeof unlinkSchema>;

/** How a link reads from one side, for history rows ("Parent of #1043"). */
function describe(kind: LinkKindName, side: 'from' | 'to', otherNumber: number): string {
	const label =
		kind === 'RELATED'
			? 'Related to'
			: kind === 'DUPLICATE'
				? 'Duplicate of'
				: side === 'from'
					? 'Parent of'
					: 'Child of';
	return `${label} #${otherNumber}`;
}

async function visible(scope: Scope, ref: string | number, field: string) {
	const t = await db().ticket.findFirst({
		where: { AND: [ticketKey(ref), scope.where] },
		select: audienceSelect
	});
	if (!t) {
		throw new AppError('NOT_FOUND', 'Ticket not found.', { [field]: ['Ticket not found.'] });
	}
	return t;
}

const exists = () =>
	new AppError('CONFLICT', 'These tickets are already linked that way.', {
		other: ['These tickets are already linked that way.']
	});

/**
 * Links two tickets the viewer can see (staff). Related and duplicate links mean the same from
 * either side, so the reverse counts as a duplicate too; a child cannot become its own parent's
 * parent. History rows on both tickets, in the same transaction.
 */
export async function linkTickets(scope: Scope, raw: LinkInput) {
	if (!scope.staff) throw forbidden();
	const input = linkSchema.parse(raw);
	const from = await visible(scope, input.ticket, 'ticket');
	const to = await visible(scope, input.other, 'other');
	if (from.id === to.id) {
		throw new AppError('BAD_REQUEST', 'A ticket cannot be linked to itself.', {
			other: ['A ticket cannot be linked to itself.']
		});
	}
	const actorId = scope.viewer.id;
	let link: { id: string; kind: LinkKindName; createdAt: Date };
	try {
		link = await db().$transaction(async (tx) => {
			const reverse = await tx.ticketLink.findFirst({
				where: { fromId: to.id, toId: from.id, kind: input.kind },
				select: { id: true }
			});
			if (reverse) throw exists();
			const row = await tx.ticketLink.create({
				data: { fromId: from.id, toId: to.id, kind: input.kind },
				select: { id: true, kind: true, createdAt: true }
			});
			await tx.ticketEvent.createMany({
				data: [
					{
						ticketId: from.id,
						actorId,
						field: 'link',
						toValue: describe(input.kind, 'from', to.number)
					},
					{
						ticketId: to.id,
						actorId,
						field: 'link',
						toValue: describe(input.kind, 'to', from.number)
					}
				]
			});
			return row;
		});
	} catch (err) {
		if ((err as { code?: string }).code === 'P2002') throw exists();
		throw err;
	}
	await publishUpdated(from, actorId, ['links']);
	await publishUpdated(to, actorId, ['links']);
	return { ...link, from: from.number, to: to.number };
}

/** Removes a link of a ticket the viewer can see (staff), with history rows on both tickets. */
export async function unlinkTickets(scope: Scope, raw: UnlinkInput) {
	if (!scope.staff) throw forbidden();
	const input = unlinkSchema.parse(raw);
	const ticket = await visible(scope, input.ticket, 'ticket');
	const link = await db().ticketLink.findFirst({
		where: { id: input.link, OR: [{ fromId: ticket.id }, { toId: ticket.id }] },
		select: {
			id: true,
			kind: true,
			from: { select: audienceSelect },
			to: { select: audienceSelect }
		}
	});
	if (!link) throw notFound('That link does not exist any more.');
	const actorId = scope.viewer.id;
	await db().$transaction(async (tx) => {
		const res = await tx.ticketLink.deleteMany({ where: { id: link.id } });
		if (res.count === 0) throw notFound('That link does not exist any more.');
		await tx.ticketEvent.createMany({
			data: [
				{
					ticketId: link.from.id,
					actorId,
					field: 'link',
					fromValue: describe(link.kind, 'from', link.to.number)
				},
				{
					ticketId: link.to.id,
					actorId,
					field: 'link',
					fromValue: describe(link.kind, 'to', link.from.number)
				}
			]
		});
	});
	await publishUpdated(link.from, actorId, ['links']);
	await publishUpdated(link.to, actorId, ['links']);
	return { ok: true as const };
}
