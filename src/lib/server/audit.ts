import type { Prisma } from './db/generated/client';

type Tx = Prisma.TransactionClient;

export interface AuditEntry {
	actorId: string | null;
	action: string;
	entityType: string;
	entityId?: string | null;
	data?: Prisma.InputJsonValue;
	ip?: string | null;
}

/** Writes an audit row inside the caller's transaction, beside the change it records. */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
	await tx.auditLog.create({
		data: {
			actorId: entry.actorId,
			action: entry.action,
			entityType: entry.entityType,
			entityId: entry.entityId ?? null,
			data: entry.data,
			ip: entry.ip ?? null
		}
	});
}
