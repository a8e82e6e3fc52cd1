import { z } from 'zod';
import { db } from '../db/client';
import { AppError, notFound, type FieldErrors } from '../errors';
import { scopeFor, ticketKey, type Scope, type Viewer } from './access';
import { countTickets, listTickets } from './list';
import { attachmentIdsSchema, customFieldsSchema, subjectSchema } from './schemas';
import type { Prisma } from '../db/generated/client';

/**
 * A ticket as its requester sees it — on the private link page (/t/<token>) and in the portal:
 * the public conversation only (internal notes are never selected), author names without
 * addresses, and what the requester may do next.
 */
export const CSAT_CHANGE_DAYS = 7;
/** Requesters write at most this much per description or message. */
export const REQUESTER_TEXT_MAX = 20_000;

export const requesterText = (what: string) =>
	z
		.string({ error: `${what} is required.` })
		.trim()
		.min(1, `${what} is required.`)
		.max(REQUESTER_TEXT_MAX, `${what} must be at most 20,000 characters.`);

/** A type chosen in a form: '' (none) or an id. */
export const optionalTypeId = z
	.string({ error: 'Choose a valid type.' })
	.nullish()
	.transform((v) => v?.trim() || null)
	.pipe(z.uuid('Choose a valid type.').nullable());

/** A ticket opened in the portal: what a requester may choose, nothing more. */
export const portalCreateSchema = z.object({
	subject: subjectSchema,
	description: requesterText('A description'),
	typeId: optionalTypeId,
	customFields: customFieldsSchema.default({}),
	attachmentIds: attachmentIdsSchema.default([])
});

export const requesterReplySchema = z.object({
	body: requesterText('A message'),
	attachmentIds: attachmentIdsSchema.default([])
});
const DAY_MS = 86_400_000;

export function issuesToFields(error: z.ZodError): FieldErrors {
	const fields: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.map(String).join('.') || '_form';
		(fields[key] ??= []).push(issue.message);
	}
	return fields;
}

/** Parses requester input; problems become one BAD_REQUEST with a message per field. */
export function parseFields<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
	const parsed = schema.safeParse(raw);
	if (parsed.success) return parsed.data;
	throw new AppError(
		'BAD_REQUEST',
		'Some fields need your attention.',
		issuesToFields(parsed.error)
	);
}

const attachmentSelect = { id: true, filename: true, contentType: true, size: true } as const;

const requesterSelect = {
	id: true,
	number: true,
	subject: true,
	descriptionHtml: true,
	status: true,
	requesterId: true,
	csatRating: true,
	csatComment: true,
	csatAt: true,
	createdAt: true,
	updatedAt: true,
	resolvedAt: true,
	closedAt: true,
	type: { select: { name: true } },
	mergedInto: { select: { number: true } },
	requester: { select: { name: true } },
	attachments: {
		where: { entryId: null },
		select: attachmentSelect,
		orderBy: { createdAt: 'asc' }
	},
	entries: {
		where: { kind: 'REPLY' },
		orderBy: { createdAt: 'asc' },
		select: {
			id: true,
			bodyHtml: true,
			createdAt: true,
			authorId: true,
			author: { select: { name: true } },
			attachments: { select: attachmentSelect, orderBy: { createdAt: 'asc' } }
		}
	}
} satisfies Prisma.TicketSelect;

type Row = Prisma.TicketGetPayload<{ select: typeof requesterSelect }>;

export interface RequesterAttachment {
	id: string;
	filename: string;
	contentType: string;
	size: number;
}

const attachmentsOf = (list: Row['attachments']): RequesterAttachment[] =>
	list.map((a) => ({ ...a, size: Number(a.size) }));

/** May the requester still give or change the rating? Once, changeable for 7 days. */
export function csatOpen(
	t: { status: string; csatRating: number | null; csatAt: Date | null },
	now = Date.now()
): boolean {
	if (t.status !== 'RESOLVED' && t.status !== 'CLOSED') return false;
	if (t.csatRating === null || !t.csatAt) return true;
	return now - t.csatAt.getTime() < CSAT_CHANGE_DAYS * DAY_MS;
}

function shape(t: Row) {
	const merged = !!t.mergedInto;
	return {
		number: t.number,
		subject: t.subject,
		descriptionHtml: t.descriptionHtml,
		status: t.status,
		type: t.type?.name ?? null,
		requesterName: t.requester.name,
		createdAt: t.createdAt,
		updatedAt: t.updatedAt,
		resolvedAt: t.resolvedAt,
		closedAt: t.closedAt,
		mergedInto: t.mergedInto?.number ?? null,
		attachments: attachmentsOf(t.attachments),
		entries: t.entries.map((e) => ({
			id: e.id,
			bodyHtml: e.bodyHtml,
			createdAt: e.createdAt,
			byRequester: e.authorId === t.requesterId,
			authorName: e.author?.name ?? 'Service desk',
			attachments: attachmentsOf(e.attachments)
		})),
		csat: t.csatRating ? { rating: t.csatRating, comment: t.csatComment, at: t.csatAt } : null,
		can: {
			reply: !merged && t.status !== 'CLOSED',
			reopen: !merged && t.status === 'RESOLVED',
			rate: !merged && csatOpen(t)
		}
	};
}

export type RequesterTicket = ReturnType<typeof shape>;

async function load(where: Prisma.TicketWhereInput): Promise<RequesterTicket> {
	const t = await db().ticket.findFirst({ where, select: requesterSelect });
	if (!t) throw notFound('Ticket not found.');
	return shape(t);
}

/** By private link: the caller already resolved the token to an id. */
export const requesterTicketById = (ticketId: string) => load({ id: ticketId });

/** In the portal: only tickets the signed-in person requested, within their scope. */
export const requesterTicket = (scope: Scope, ref: string | number) =>
	load({ AND: [ticketKey(ref), scope.where, { requesterId: scope.viewer.id }] });

/**
 * The portal's scope: the tickets this person requested, seen as a requester (no internal
 * notes, requester rules for replies) whatever else their role could see.
 */
export async function requesterScope(viewer: Viewer): Promise<Scope> {
	const scope = await scopeFor(viewer);
	return { ...scope, staff: false, where: { AND: [scope.where, { requesterId: viewer.id }] } };
}

// ---- The portal's "My tickets" ---------------------------------------------------------------

export const PORTAL_TABS = {
	open: ['NEW', 'OPEN', 'PENDING', 'ON_HOLD'],
	resolved: ['RESOLVED', 'CLOSED']
} as const;

export const myTicketsSchema = z.object({
	tab: z.enum(['open', 'resolved']).default('open'),
	q: z.string().trim().max(200, 'Search must be at most 200 characters.').optional(),
	cursor: z.string().max(200).optional(),
	limit: z.number().int().min(1).max(50).default(20)
});
export type MyTicketsInput = z.input<typeof myTicketsSchema>;

/** The tickets the signed-in person requested, newest activity first, with both tabs' counts. */
export async function myTickets(viewer: Viewer, raw: MyTicketsInput) {
	const input = parseFields(myTicketsSchema, raw);
	// The list's SQL scope comes from the role; the requester filter narrows it to "mine".
	const scope = await scopeFor(viewer);
	const base = { requester: viewer.id, q: input.q || undefined };
	const [page, open, resolved] = await Promise.all([
		listTickets(scope, {
			...base,
			status: [...PORTAL_TABS[input.tab]],
			cursor: input.cursor,
			limit: input.limit
		}),
		countTickets(scope, { ...base, status: [...PORTAL_TABS.open] }, 999),
		countTickets(scope, { ...base, status: [...PORTAL_TABS.resolved] }, 999)
	]);
	return {
		items: page.items.map((t) => ({
			number: t.number,
			subject: t.subject,
			status: t.status,
			type: t.type?.name ?? null,
			createdAt: t.createdAt,
			updatedAt: t.updatedAt
		})),
		nextCursor: page.nextCursor,
		counts: { open: open.count, resolved: resolved.count }
	};
}
