import { AppError, notFound } from '../errors';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import type { Role } from '../db/client';
import { audit } from '../audit';
import { publish } from '../realtime/bus';
import { notify } from './notifications';
import { hashPassword } from './passwords';
import {
	createUserSchema,
	listUsersSchema,
	passwordSchema,
	updateUserSchema,
	type CreateUserInput,
	type ListUsersInput
} from './schemas';
import type { z } from 'zod';
import { ROLE_LABELS, STAFF_ROLES } from '$lib/permissions';

export interface Actor {
	id: string | null;
	ip?: string | null;
}

export const userListSelect = {
	id: true,
	email: true,
	name: true,
	role: true,
	active: true,
	title: true,
	department: true,
	lastLoginAt: true,
	createdAt: true
} satisfies Prisma.UserSelect;

export async function listUsers(input: ListUsersInput) {
	const q = listUsersSchema.parse(input);
	const where: Prisma.UserWhereInput = {
		role: q.role ?? (q.staff ? { in: [...STAFF_ROLES] } : undefined),
		active: q.active,
		...(q.search
			? {
					OR: [
						{ name: { contains: q.search, mode: 'insensitive' } },
						{ email: { contains: q.search, mode: 'insensitive' } },
						{ department: { contains: q.search, mode: 'insensitive' } }
					]
				}
			: {})
	};
	const [items, total] = await db().$transaction([
		db().user.findMany({
			where,
			select: userListSelect,
			orderBy: [{ name: 'asc' }, { id: 'asc' }],
			skip: (q.page - 1) * q.pageSize,
			take: q.pageSize
		}),
		db().user.count({ where })
	]);
	return { items, total, page: q.page, pageSize: q.pageSize };
}

export async function getUser(id: string) {
	const user = await db().user.findUnique({
		where: { id },
		select: {
			...userListSelect,
			phone: true,
			updatedAt: true,
			memberships: { select: { group: { select: { id: true, name: true } } } }
		}
	});
	if (!user) throw notFound('User not found.');
	const { memberships, ...rest } = user;
	return { ...rest, groups: memberships.map((m) => m.group) };
}

function emailTaken(): AppError {
	return new AppError('CONFLICT', 'A user with this email already exists.', {
		email: ['A user with this email already exists.']
	});
}

function isUniqueViolation(err: unknown): boolean {
	return (err as { code?: string }).code === 'P2002';
}

export async function createUser(actor: Actor, input: CreateUserInput) {
	const data = createUserSchema.parse(input);
	const passwordHash = data.password ? await hashPassword(data.password) : null;
	try {
		const user = await db().$transaction(async (tx) => {
			const created = await tx.user.create({
				data: {
					email: data.email,
					name: data.name,
					role: data.role,
					title: data.title,
					department: data.department,
					phone: data.phone,
					passwordHash,
					memberships: { create: data.groupIds.map((groupId) => ({ groupId })) }
				},
				select: userListSelect
			});
			await audit(tx, {
				actorId: actor.id,
				action: 'user.create',
				entityType: 'User',
				entityId: created.id,
				data: { email: created.email, role: created.role },
				ip: actor.ip
			});
			return created;
		});
		await publish({ type: 'UserChanged', userId: user.id, change: 'created' });
		return user;
	} catch (err) {
		if (isUniqueViolation(err)) throw emailTaken();
		if ((err as { code?: string }).code === 'P2003') {
			throw new AppError('BAD_REQUEST', 'A chosen group no longer exists.', {
				groupIds: ['A chosen group no longer exists.']
			});
		}
		throw err;
	}
}

export async function updateUser(actor: Actor, input: z.input<typeof updateUserSchema>) {
	const { id, ...data } = updateUserSchema.parse(input);
	try {
		const user = await db().$transaction(async (tx) => {
			const before = await tx.user.findUnique({ where: { id }, select: userListSelect });
			if (!before) throw notFound('User not found.');
			const updated = await tx.user.update({ where: { id }, data, select: userListSelect });
			await audit(tx, {
				actorId: actor.id,
				action: 'user.update',
				entityType: 'User',
				entityId: id,
				data: { fields: Object.keys(data) },
				ip: actor.ip
			});
			return updated;
		});
		await publish({ type: 'UserChanged', userId: id, change: 'updated' });
		return user;
	} catch (err) {
		if (isUniqueViolation(err)) throw emailTaken();
		throw err;
	}
}

/**
 * Keeps at least one active admin, so nobody can lock the organisation out. The active admins'
 * rows are locked (in id order) until the transaction ends, so two admins demoting or
 * deactivating each other at the same moment cannot both see "another admin remains".
 */
async function assertNotLastAdmin(tx: Prisma.TransactionClient, userId: string, message: string) {
	const admins = await tx.$queryRaw<{ id: string }[]>`
		SELECT id FROM "User" WHERE role = 'ADMIN' AND active ORDER BY id FOR UPDATE`;
	if (!admins.some((a) => a.id !== userId)) throw new AppError('CONFLICT', message);
}

export async function changeRole(actor: Actor, id: string, role: Role) {
	let changed = false;
	const user = await db().$transaction(async (tx) => {
		const before = await tx.user.findUnique({ where: { id }, select: { role: true } });
		if (!before) throw notFound('User not found.');
		if (before.role === role)
			return tx.user.findUniqueOrThrow({ where: { id }, select: userListSelect });
		changed = true;
		if (before.role === 'ADMIN') {
			await assertNotLastAdmin(
				tx,
				id,
				'This is the last active admin; make someone else admin first.'
			);
		}
		const updated = await tx.user.update({ where: { id }, data: { role }, select: userListSelect });
		await audit(tx, {
			actorId: actor.id,
			action: 'user.changeRole',
			entityType: 'User',
			entityId: id,
			data: { from: before.role, to: role },
			ip: actor.ip
		});
		return updated;
	});
	if (!changed) return user; // same role again: nothing to announce
	await publish({ type: 'UserChanged', userId: id, change: 'role' });
	await notify(id, {
		type: 'user.role',
		title: `Your role is now ${ROLE_LABELS[user.role]}`,
		link: '/'
	});
	return user;
}

/** Deactivation revokes every session at once; the user's API keys stop working with it. */
export async function setActive(actor: Actor, id: string, active: boolean) {
	if (!active && actor.id === id) {
		throw new AppError('CONFLICT', 'You cannot deactivate your own account.');
	}
	const user = await db().$transaction(async (tx) => {
		const before = await tx.user.findUnique({
			where: { id },
			select: { role: true, active: true }
		});
		if (!before) throw notFound('User not found.');
		if (!active && before.role === 'ADMIN') {
			await assertNotLastAdmin(tx, id, 'This is the last active admin and cannot be deactivated.');
		}
		const updated = await tx.user.update({
			where: { id },
			data: { active },
			select: userListSelect
		});
		if (!active) {
			await tx.session.updateMany({
				where: { userId: id, revokedAt: null },
				data: { revokedAt: new Date() }
			});
		}
		await audit(tx, {
			actorId: actor.id,
			action: active ? 'user.reactivate' : 'user.deactivate',
			entityType: 'User',
			entityId: id,
			ip: actor.ip
		});
		return updated;
	});
	await publish({
		type: 'UserChanged',
		userId: id,
		change: active ? 'reactivated' : 'deactivated'
	});
	return user;
}

export async function setPassword(actor: Actor, id: string, password: string): Promise<void> {
	const passwordHash = await hashPassword(passwordSchema.parse(password));
	await db().$transaction(async (tx) => {
		const found = await tx.user.findUnique({ where: { id }, select: { id: true } });
		if (!found) throw notFound('User not found.');
		await tx.user.update({ where: { id }, data: { passwordHash } });
		await tx.session.updateMany({
			where: { userId: id, revokedAt: null },
			data: { revokedAt: new Date() }
		});
		await audit(tx, {
			actorId: actor.id,
			action: 'user.resetPassword',
			entityType: 'User',
			entityId: id,
			ip: actor.ip
		});
	});
}

export async function findUserByEmail(email: string) {
	return db().user.findUnique({
		where: { email: email.trim().toLowerCase() },
		select: userListSelect
	});
}

export async function setTheme(userId: string, theme: 'dark' | 'light'): Promise<void> {
	await db().user.update({
		where: { id: userId },
		data: { theme: theme === 'light' ? 'LIGHT' : 'DARK' }
	});
}
