import { z } from 'zod';
import { db } from './db/client';

export const listAuditSchema = z.object({
	action: z.string().trim().max(60).optional(),
	actorId: z.uuid().optional(),
	entityId: z.string().max(64).optional(),
	/** Keyset cursor: the id of the last row of the previous page. */
	cursor: z.string().regex(/^\d+$/).optional(),
	limit: z.number().int().min(1).max(100).default(50)
});

/** The audit log, newest first, with keyset paging on the id. */
export async function listAudit(input: z.input<typeof listAuditSchema>) {
	const q = listAuditSchema.parse(input);
	const rows = await db().auditLog.findMany({
		where: {
			action: q.action ? { startsWith: q.action } : undefined,
			actorId: q.actorId,
			entityId: q.entityId,
			id: q.cursor ? { lt: BigInt(q.cursor) } : undefined
		},
		orderBy: { id: 'desc' },
		take: q.limit + 1,
		select: {
			id: true,
			action: true,
			entityType: true,
			entityId: true,
			data: true,
			ip: true,
			createdAt: true,
			actor: { select: { id: true, name: true, email: true } }
		}
	});
	const more = rows.length > q.limit;
	const items = rows.slice(0, q.limit).map((r) => ({ ...r, id: r.id.toString() }));
	return { items, nextCursor: more ? items[items.length - 1]!.id : null };
}
