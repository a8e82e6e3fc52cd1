import { STAFF_ROLES } from '$lib/permissions';
import type { Prisma } from '../db/generated/client';
import { OPEN_STATUSES } from './schemas';

type Tx = Prisma.TransactionClient;

/**
 * Automatic assignment within a group (MANUAL groups return null): ROUND_ROBIN hands tickets to
 * active staff members in turn; LOAD_BALANCED picks the member with the fewest open tickets
 * (ties broken in round-robin order). The group row is locked (FOR NO KEY UPDATE, which does not
 * conflict with the key-share locks the callers' ticket inserts hold on it) for the rest of the
 * caller's transaction, so tickets arriving at the same moment are handed out one after another
 * and never to the same person by accident of timing.
 */
export async function pickAssignee(tx: Tx, groupId: string): Promise<string | null> {
	// Manual groups (the default) take no lock at all.
	const mode = await tx.group.findUnique({ where: { id: groupId }, select: { assignment: true } });
	if (!mode || mode.assignment === 'MANUAL') return null;
	const [group] = await tx.$queryRaw<{ assignment: string; lastAssignedId: string | null }[]>`
		SELECT assignment::text AS assignment, "lastAssignedId" FROM "Group" WHERE id = ${groupId}::uuid FOR NO KEY UPDATE`;
	if (!group || group.assignment === 'MANUAL') return null;

	const members = await tx.groupMember.findMany({
		where: { groupId, user: { active: true, role: { in: [...STAFF_ROLES] } } },
		select: { userId: true },
		orderBy: { userId: 'asc' }
	});
	if (members.length === 0) return null;
	const ids = members.map((m) => m.userId);
	// Members in turn, starting after the last one served.
	const start = group.lastAssignedId ? ids.findIndex((id) => id > group.lastAssignedId!) : 0;
	const turn = [...ids.slice(start < 0 ? 0 : start), ...ids.slice(0, start < 0 ? 0 : start)];

	let chosen: string = turn[0] ?? ids[0]!;
	if (group.assignment === 'LOAD_BALANCED') {
		const loads = await tx.ticket.groupBy({
			by: ['assigneeId'],
			where: { assigneeId: { in: ids }, status: { in: [...OPEN_STATUSES] }, mergedIntoId: null },
			_count: { _all: true }
		});
		const load = new Map(loads.map((l) => [l.assigneeId, l._count._all]));
		chosen = turn.reduce((best, id) => ((load.get(id) ?? 0) < (load.get(best) ?? 0) ? id : best));
	}
	await tx.group.update({ where: { id: groupId }, data: { lastAssignedId: chosen } });
	return chosen;
}
