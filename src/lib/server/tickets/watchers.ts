import { z } from 'zod';
import { db } from '../db/client';
import { STAFF_ROLES } from '$lib/permissions';
import { fieldError, forbidden } from '../errors';
import { requireTicket, type Scope } from './access';
import { publishUpdated } from './live';
import { ticketRefSchema } from './schemas';
import { audienceSelect } from './select';

export const watcherSchema = z.object({
	ticket: ticketRefSchema,
	userId: z.uuid('Choose a person.')
});
export type WatcherInput = z.input<typeof watcherSchema>;

const watcherSelect = {
	createdAt: true,
	user: { select: { id: true, name: true, email: true } }
} as const;

/** Watchers are staff who hear about every reply and note on a ticket. */
export async function listWatchers(scope: Scope, ref: string | number) {
	if (!scope.staff) throw forbidden();
	const t = await requireTicket(scope, ref);
	const rows = await db().ticketWatcher.findMany({
		where: { ticketId: t.id },
		orderBy: { createdAt: 'asc' },
		select: watcherSelect
	});
	return rows.map((r) => r.user);
}

async function changed(ticketId: string, actorId: string) {
	const facts = await db().ticket.findUniqueOrThrow({
		where: { id: ticketId },
		select: audienceSelect
	});
	await publishUpdated(facts, actorId, ['watchers']);
}

/** Adds an active staff member as a watcher (idempotent). */
export async function addWatcher(scope: Scope, raw: WatcherInput) {
	if (!scope.staff) throw forbidden();
	const input = watcherSchema.parse(raw);
	const t = await requireTicket(scope, input.ticket);
	const added = await db().$transaction(async (tx) => {
		const user = await tx.user.findUnique({
			where: { id: input.userId },
			select: { active: true, role: true }
		});
		if (!user || !user.active || !STAFF_ROLES.includes(user.role)) {
			throw fieldError('userId', 'Only active agents can watch tickets.');
		}
		const res = await tx.ticketWatcher.createMany({
			data: [{ ticketId: t.id, userId: input.userId }],
			skipDuplicates: true
		});
		return res.count > 0;
	});
	if (added) await changed(t.id, scope.viewer.id);
	return listWatchers(scope, t.id);
}

/** Removes a watcher (idempotent). */
export async function removeWatcher(scope: Scope, raw: WatcherInput) {
	if (!scope.staff) throw forbidden();
	const input = watcherSchema.parse(raw);
	const t = await requireTicket(scope, input.ticket);
	const res = await db().ticketWatcher.deleteMany({
		where: { ticketId: t.id, userId: input.userId }
	});
	if (res.count > 0) await changed(t.id, scope.viewer.id);
	return listWatchers(scope, t.id);
}

/** The viewer starts watching the ticket. */
export const watch = (scope: Scope, ref: string | number) =>
	addWatcher(scope, { ticket: ref, userId: scope.viewer.id });

/** The viewer stops watching the ticket. */
export const unwatch = (scope: Scope, ref: string | number) =>
	removeWatcher(scope, { ticket: ref, userId: scope.viewer.id });
