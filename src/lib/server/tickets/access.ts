import { can, type RoleName } from '$lib/permissions';
import { db } from '../db/client';
import { notFound } from '../errors';
import type { Prisma } from '../db/generated/client';

/**
 * Who may see which ticket — the first line of every ticket function, and the `where` of every
 * ticket query, so a ticket one may not see is simply not found (404, like a missing one).
 *
 * - Admins and IT managers: every ticket.
 * - Agents: tickets of their groups, tickets with no group (the triage queue), tickets assigned
 *   to them, and tickets they requested.
 * - End users: the tickets they requested, never internal notes.
 * - Requesters without an account reach one ticket through its private link (`byToken`).
 */
export interface Viewer {
	id: string;
	role: RoleName;
	name?: string;
}

export interface Scope {
	viewer: Viewer;
	/** Everything visible. */
	all: boolean;
	/** Staff who see internal notes. */
	staff: boolean;
	/** Agents: the groups they belong to. */
	groupIds: string[];
	where: Prisma.TicketWhereInput;
}

export async function groupIdsOf(userId: string): Promise<string[]> {
	const rows = await db().groupMember.findMany({ where: { userId }, select: { groupId: true } });
	return rows.map((r) => r.groupId);
}

export async function scopeFor(viewer: Viewer): Promise<Scope> {
	const staff = can(viewer.role, 'staff.use');
	if (viewer.role === 'ADMIN' || viewer.role === 'IT_MANAGER') {
		return { viewer, all: true, staff, groupIds: [], where: {} };
	}
	if (viewer.role === 'AGENT') {
		const groupIds = await groupIdsOf(viewer.id);
		return {
			viewer,
			all: false,
			staff,
			groupIds,
			where: {
				OR: [
					{ groupId: null },
					...(groupIds.length ? [{ groupId: { in: groupIds } }] : []),
					{ assigneeId: viewer.id },
					{ requesterId: viewer.id }
				]
			}
		};
	}
	if (can(viewer.role, 'ticket.read')) {
		return { viewer, all: false, staff: false, groupIds: [], where: { requesterId: viewer.id } };
	}
	return { viewer, all: false, staff: false, groupIds: [], where: { id: { in: [] } } };
}

/** The same rule for one ticket's facts (live events, which carry them instead of a query). */
export function scopeAllows(
	scope: Scope,
	t: { groupId: string | null; assigneeId: string | null; requesterId: string }
): boolean {
	if (scope.all) return true;
	if (t.requesterId === scope.viewer.id) return can(scope.viewer.role, 'ticket.read');
	if (scope.viewer.role !== 'AGENT') return false;
	return (
		t.groupId === null || scope.groupIds.includes(t.groupId) || t.assigneeId === scope.viewer.id
	);
}

/** `#1042`, `1042` or a uuid → a where clause. */
export function ticketKey(ref: string | number): Prisma.TicketWhereInput {
	if (typeof ref === 'number') return { number: ref };
	const n = /^#?(\d{1,9})$/.exec(ref.trim());
	if (n) return { number: Number(n[1]) };
	if (/^[0-9a-f-]{36}$/i.test(ref)) return { id: ref };
	return { id: { in: [] } };
}

/** The ticket's id if the viewer may see it; otherwise NOT_FOUND, exactly like a missing one. */
export async function requireTicket(
	scope: Scope,
	ref: string | number
): Promise<{ id: string; number: number; version: number }> {
	const t = await db().ticket.findFirst({
		where: { AND: [ticketKey(ref), scope.where] },
		select: { id: true, number: true, version: true }
	});
	if (!t) throw notFound('Ticket not found.');
	return t;
}

/** A ticket by its private link token (requesters without an account). */
export async function ticketIdByToken(token: string): Promise<string> {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound('Ticket not found.');
	const t = await db().ticket.findUnique({ where: { accessToken: token }, select: { id: true } });
	if (!t) throw notFound('Ticket not found.');
	return t.id;
}
