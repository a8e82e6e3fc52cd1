import { isStaff } from '$lib/permissions';
import { db } from '../db/client';
import { fieldError, forbidden, notFound } from '../errors';
import type { SessionUser } from '../identity/types';
import { scopeFor, type Scope, type Viewer } from './access';
import { createTicket } from './create';
import { addEntry } from './entries';
import { listTickets } from './list';
import { updateTicket } from './update';
import { ticketSelect } from './select';
import type { TicketCreateInput, TicketListInput, TicketUpdateInput } from './schemas';
import { parseRest, queryObject } from './rest-body';
import {
	categoryIdOf,
	groupIdOf,
	inRestTerms,
	NOBODY,
	personIdOf,
	requirePerson,
	typeIdOf
} from './rest-refs';
import {
	LIST_PARAMS,
	restCommentCreateSchema,
	restListQuerySchema,
	restTicketCreateSchema,
	restTicketUpdateSchema,
	STAFF_CREATE_FIELDS,
	type RestComment,
	type RestTicket
} from './rest-schemas';
import { commentSelect, entriesWhere, ticketPages, toRestComment, toRestTicket } from './rest-json';

/**
 * The public REST API over the ticket domain: REST bodies (lower-case enums, people by email,
 * types and groups by name) → domain input, domain rows → the documented JSON. Access stays in
 * the domain functions and in every query's `scope.where`, so a ticket the key may not see is a
 * 404 exactly like a missing one.
 */
const upper = <T extends string>(s: T | undefined) => s?.toUpperCase() as Uppercase<T> | undefined;

export const viewerOfUser = (u: SessionUser): Viewer => ({ id: u.id, role: u.role, name: u.name });
export const scopeOfUser = (u: SessionUser) => scopeFor(viewerOfUser(u));

/** The path's {number}: digits only; anything else is simply not found. */
export function ticketNumberOf(param: string | undefined): number {
	if (!param || !/^\d{1,9}$/.test(param) || Number(param) < 1) throw notFound('Ticket not found.');
	return Number(param);
}

export async function restCreateTicket(
	user: SessionUser,
	raw: unknown,
	opts: { origin: string; idempotencyKey?: string; ip?: string | null }
): Promise<{ ticket: RestTicket; replayed: boolean }> {
	const body = parseRest(restTicketCreateSchema, raw);
	const viewer = viewerOfUser(user);
	if (!isStaff(viewer.role)) {
		const denied = STAFF_CREATE_FIELDS.filter((f) => body[f] !== undefined);
		if (denied.length) throw forbidden(`Only agents can set ${denied.join(', ')}.`);
	}
	const input: TicketCreateInput = {
		subject: body.subject,
		description: body.description,
		priority: upper(body.priority),
		status: upper(body.status),
		typeId: body.type ? await typeIdOf(body.type) : undefined,
		categoryId: body.category ? await categoryIdOf(body.category) : undefined,
		groupId: body.group ? await groupIdOf(body.group) : undefined,
		assigneeId: body.assignee
			? await requirePerson(body.assignee, viewer.id, 'assignee')
			: undefined,
		requester: body.requester,
		tags: body.tags,
		customFields: body.customFields
	};
	const created = await inRestTerms(() =>
		createTicket({ viewer, ip: opts.ip }, input, {
			source: 'API',
			idempotencyKey: opts.idempotencyKey
		})
	);
	const pages = ticketPages(opts.origin, isStaff(viewer.role));
	return { ticket: toRestTicket(created.ticket, pages), replayed: created.replayed };
}

export async function restListTickets(
	scope: Scope,
	params: URLSearchParams,
	origin: string
): Promise<{ data: RestTicket[]; next_cursor: string | null; has_more: boolean }> {
	const q = parseRest(restListQuerySchema, queryObject(params, LIST_PARAMS), true);
	const me = scope.viewer.id;
	const person = async (ref: string) => (await personIdOf(ref, me)) ?? NOBODY;
	const each = <T>(refs: string[] | undefined, fn: (ref: string) => Promise<T>) =>
		refs ? Promise.all(refs.map(fn)) : undefined;
	const filters: TicketListInput = {
		q: q.q || undefined,
		status: q.status?.map((s) => upper(s)!),
		priority: q.priority?.map((p) => upper(p)!),
		source: q.source?.map((s) => upper(s)!),
		assignee: await each(q.assignee, async (a) =>
			a.toLowerCase() === 'none' ? 'none' : a.toLowerCase() === 'me' ? 'me' : person(a)
		),
		group: await each(q.group, async (g) => (g.toLowerCase() === 'none' ? 'none' : groupIdOf(g))),
		type: await each(q.type, (t) => typeIdOf(t)),
		category: await each(q.category, (c) => categoryIdOf(c)),
		tags: q.tag,
		requester: q.requester ? await person(q.requester) : undefined,
		createdFrom: q.created_after,
		createdTo: q.created_before,
		updatedFrom: q.updated_after,
		updatedTo: q.updated_before,
		sort: q.sort,
		dir: q.order,
		limit: q.limit,
		cursor: q.cursor
	};
	const page = await inRestTerms(() => listTickets(scope, filters));
	const ids = page.items.map((t) => t.id);
	const rows = ids.length
		? await db().ticket.findMany({ where: { id: { in: ids } }, select: ticketSelect })
		: [];
	const byId = new Map(rows.map((r) => [r.id, r]));
	const pages = ticketPages(origin, scope.staff);
	return {
		data: ids.flatMap((id) => {
			const row = byId.get(id);
			return row ? [toRestTicket(row, pages)] : [];
		}),
		next_cursor: page.nextCursor,
		has_more: page.nextCursor !== null
	};
}

export async function restGetTicket(scope: Scope, param: string | undefined, origin: string) {
	const number = ticketNumberOf(param);
	const t = await db().ticket.findFirst({
		where: { AND: [{ number }, scope.where] },
		select: {
			...ticketSelect,
			entries: {
				where: entriesWhere(scope),
				orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
				select: commentSelect
			}
		}
	});
	if (!t) throw notFound('Ticket not found.');
	const { entries, ...ticket } = t;
	return {
		...toRestTicket(ticket, ticketPages(origin, scope.staff)),
		comments: entries.map(toRestComment)
	};
}

export async function restListComments(scope: Scope, param: string | undefined) {
	const number = ticketNumberOf(param);
	const t = await db().ticket.findFirst({
		where: { AND: [{ number }, scope.where] },
		select: {
			entries: {
				where: entriesWhere(scope),
				orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
				select: commentSelect
			}
		}
	});
	if (!t) throw notFound('Ticket not found.');
	return { data: t.entries.map(toRestComment) };
}

export async function restUpdateTicket(
	scope: Scope,
	param: string | undefined,
	raw: unknown,
	opts: { origin: string; ifMatch?: number }
): Promise<RestTicket> {
	const number = ticketNumberOf(param);
	const body = parseRest(restTicketUpdateSchema, raw);
	if (opts.ifMatch !== undefined && body.version !== undefined && opts.ifMatch !== body.version) {
		throw fieldError('version', 'The version differs from the If-Match header.');
	}
	// Not found comes before resolving names, so an invisible ticket answers like a missing one.
	const visible = await db().ticket.count({ where: { AND: [{ number }, scope.where] } });
	if (!visible) throw notFound('Ticket not found.');
	const me = scope.viewer.id;
	const orNull = async (v: string | null | undefined, fn: (v: string) => Promise<string>) =>
		v === undefined ? undefined : v === null ? null : fn(v);
	const input: TicketUpdateInput = {
		ticket: number,
		version: opts.ifMatch ?? body.version,
		subject: body.subject,
		description: body.description,
		status: upper(body.status),
		priority: upper(body.priority),
		typeId: await orNull(body.type, (v) => typeIdOf(v)),
		categoryId: await orNull(body.category, (v) => categoryIdOf(v)),
		groupId: await orNull(body.group, (v) => groupIdOf(v)),
		assigneeId: await orNull(body.assignee, (v) => requirePerson(v, me, 'assignee')),
		requesterId: body.requester ? await requirePerson(body.requester, me, 'requester') : undefined,
		tags: body.tags,
		customFields: body.customFields
	};
	const row = await inRestTerms(() => updateTicket(scope, input));
	return toRestTicket(row, ticketPages(opts.origin, scope.staff));
}

export async function restAddComment(
	scope: Scope,
	param: string | undefined,
	raw: unknown
): Promise<RestComment> {
	const number = ticketNumberOf(param);
	const body = parseRest(restCommentCreateSchema, raw);
	if (!scope.staff && body.internal) throw forbidden('Only agents can write internal notes.');
	if (!scope.staff && body.status) throw forbidden('Only agents can set the status.');
	const entry = await inRestTerms(() =>
		addEntry(
			{ scope, source: 'API' },
			{
				ticket: number,
				kind: body.internal ? 'NOTE' : 'REPLY',
				body: body.body,
				status: upper(body.status)
			}
		)
	);
	const row = await db().ticketEntry.findUniqueOrThrow({
		where: { id: entry.id },
		select: commentSelect
	});
	return toRestComment(row);
}
