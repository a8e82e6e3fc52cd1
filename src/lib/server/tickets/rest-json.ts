import { slaSummary } from '../sla/summary';
import type { Prisma } from '../db/generated/client';
import type { Scope } from './access';
import type { TicketRow } from './select';
import type { RestComment, RestTicket } from './rest-schemas';

/** Domain rows → the REST API's JSON (lower-case enums, ISO dates, people as id/name/email). */
const lower = <T extends string>(s: T) => s.toLowerCase() as Lowercase<T>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Where a person opens a ticket: staff in the agent app, everyone else in the portal. */
export const ticketPages = (origin: string, staff: boolean) =>
	`${origin}/${staff ? 'app' : 'portal'}/tickets`;

export function toRestTicket(t: TicketRow, pages: string): RestTicket {
	return {
		id: t.id,
		number: t.number,
		url: `${pages}/${t.number}`,
		subject: t.subject,
		description: t.description,
		status: lower(t.status),
		priority: lower(t.priority),
		type: t.type,
		category: t.category,
		source: lower(t.source),
		requester: { id: t.requester.id, name: t.requester.name, email: t.requester.email },
		assignee: t.assignee,
		group: t.group,
		tags: t.tags,
		customFields: (t.customFields ?? {}) as Record<string, unknown>,
		version: t.version,
		mergedInto: t.mergedInto?.number ?? null,
		firstResponseAt: iso(t.firstResponseAt),
		resolvedAt: iso(t.resolvedAt),
		closedAt: iso(t.closedAt),
		createdAt: t.createdAt.toISOString(),
		updatedAt: t.updatedAt.toISOString(),
		sla: restSla(t)
	};
}

function restSla(t: TicketRow): RestTicket['sla'] {
	const s = slaSummary(t);
	return s
		? {
				policy: s.policy,
				firstResponseDueAt: iso(s.firstResponseDueAt),
				resolutionDueAt: iso(s.resolutionDueAt),
				state: s.state
			}
		: null;
}

export const commentSelect = {
	id: true,
	kind: true,
	body: true,
	bodyHtml: true,
	source: true,
	createdAt: true,
	author: { select: { id: true, name: true, email: true } }
} satisfies Prisma.TicketEntrySelect;
type CommentRow = Prisma.TicketEntryGetPayload<{ select: typeof commentSelect }>;

export function toRestComment(e: CommentRow): RestComment {
	return {
		id: e.id,
		body: e.body,
		html: e.bodyHtml,
		internal: e.kind === 'NOTE',
		author: e.author,
		source: lower(e.source),
		createdAt: e.createdAt.toISOString()
	};
}

/** Entries the scope may read: internal notes only for staff. */
export const entriesWhere = (scope: Scope): Prisma.TicketEntryWhereInput =>
	scope.staff ? {} : { kind: 'REPLY' };
