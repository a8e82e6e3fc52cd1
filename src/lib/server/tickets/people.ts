import { randomBytes } from 'node:crypto';
import { STAFF_ROLES } from '$lib/permissions';
import { AppError } from '../errors';
import type { Prisma } from '../db/generated/client';

type Tx = Prisma.TransactionClient;

/** A private-link token: 144 random bits, URL-safe. */
export function newAccessToken(): string {
	return randomBytes(18).toString('base64url');
}

/**
 * The requester by email: an existing user keeps their name and role; an unknown address becomes
 * a contact (role REQUESTER, no password) that can later be invited or merged.
 */
export async function requesterByEmail(tx: Tx, email: string, name?: string): Promise<string> {
	const normalized = email.trim().toLowerCase();
	const existing = await tx.user.findUnique({ where: { email: normalized }, select: { id: true } });
	if (existing) return existing.id;
	const row = await tx.user.upsert({
		where: { email: normalized },
		update: {},
		create: {
			email: normalized,
			name: name?.trim() || normalized.split('@')[0] || normalized,
			role: 'REQUESTER'
		},
		select: { id: true }
	});
	return row.id;
}

export async function requireUser(tx: Tx, id: string, field: string): Promise<void> {
	const user = await tx.user.findUnique({ where: { id }, select: { active: true } });
	if (!user || !user.active) {
		throw new AppError('BAD_REQUEST', 'That person does not exist or is deactivated.', {
			[field]: ['That person does not exist or is deactivated.']
		});
	}
}

/** An assignee must be an active staff member. */
export async function requireAgent(tx: Tx, id: string, field = 'assigneeId'): Promise<void> {
	const user = await tx.user.findUnique({ where: { id }, select: { active: true, role: true } });
	if (!user || !user.active || !STAFF_ROLES.includes(user.role)) {
		throw new AppError('BAD_REQUEST', 'Tickets can only be assigned to active agents.', {
			[field]: ['Tickets can only be assigned to active agents.']
		});
	}
}

export async function requireRef(
	tx: Tx,
	kind: 'group' | 'type' | 'category',
	id: string
): Promise<void> {
	const found =
		kind === 'group'
			? await tx.group.findUnique({ where: { id }, select: { id: true } })
			: kind === 'type'
				? await tx.ticketType.findFirst({ where: { id, active: true }, select: { id: true } })
				: await tx.ticketCategory.findFirst({ where: { id, active: true }, select: { id: true } });
	if (!found) {
		const field = `${kind}Id`;
		throw new AppError('BAD_REQUEST', `Choose a valid ${kind}.`, {
			[field]: [`Choose a valid ${kind}.`]
		});
	}
}
