import { AppError, notFound } from '../errors';
import { db } from '../db/client';
import { audit } from '../audit';
import { publish } from '../realtime/bus';
import { notify } from './notifications';
import { groupSchema } from './schemas';
import type { Actor } from './users';
import type { z } from 'zod';

type GroupInput = z.input<typeof groupSchema>;

const groupSelect = {
	id: true,
	name: true,
	description: true,
	email: true,
	manager: { select: { id: true, name: true, email: true } },
	_count: { select: { members: true } }
} as const;

function nameTaken(): AppError {
	return new AppError('CONFLICT', 'A group with this name already exists.', {
		name: ['A group with this name already exists.']
	});
}

export function listGroups() {
	return db().group.findMany({ select: groupSelect, orderBy: { name: 'asc' } });
}

export async function getGroup(id: string) {
	const group = await db().group.findUnique({
		where: { id },
		select: {
			...groupSelect,
			members: {
				select: {
					user: { select: { id: true, name: true, email: true, role: true, active: true } }
				},
				orderBy: { user: { name: 'asc' } }
			}
		}
	});
	if (!group) throw notFound('Group not found.');
	return { ...group, members: group.members.map((m) => m.user) };
}

async function mutate<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (err) {
		const code = (err as { code?: string }).code;
		if (code === 'P2002') throw nameTaken();
		if (code === 'P2003') {
			throw new AppError('BAD_REQUEST', 'That user does not exist.', {
				managerId: ['That user does not exist.']
			});
		}
		if (code === 'P2025') throw notFound('Group not found.');
		throw err;
	}
}

export async function createGroup(actor: Actor, input: GroupInput) {
	const data = groupSchema.parse(input);
	const group = await mutate(() =>
		db().$transaction(async (tx) => {
			const g = await tx.group.create({ data, select: groupSelect });
			await audit(tx, {
				actorId: actor.id,
				action: 'group.create',
				entityType: 'Group',
				entityId: g.id,
				data: { name: g.name },
				ip: actor.ip
			});
			return g;
		})
	);
	await publish({ type: 'GroupChanged', groupId: group.id });
	return group;
}

export async function updateGroup(actor: Actor, id: string, input: GroupInput) {
	const data = groupSchema.parse(input);
	const group = await mutate(() =>
		db().$transaction(async (tx) => {
			const g = await tx.group.update({ where: { id }, data, select: groupSelect });
			await audit(tx, {
				actorId: actor.id,
				action: 'group.update',
				entityType: 'Group',
				entityId: id,
				ip: actor.ip
			});
			return g;
		})
	);
	await publish({ type: 'GroupChanged', groupId: id });
	return group;
}

export async function deleteGroup(actor: Actor, id: string): Promise<void> {
	await mutate(() =>
		db().$transaction(async (tx) => {
			const g = await tx.group.delete({ where: { id } });
			await audit(tx, {
				actorId: actor.id,
				action: 'group.delete',
				entityType: 'Group',
				entityId: id,
				data: { name: g.name },
				ip: actor.ip
			});
		})
	);
	await publish({ type: 'GroupChanged', groupId: id });
}

export async function setMembers(actor: Actor, id: string, userIds: string[]) {
	const wanted = [...new Set(userIds)];
	const added = await db().$transaction(async (tx) => {
		const group = await tx.group.findUnique({
			where: { id },
			select: { name: true, members: { select: { userId: true } } }
		});
		if (!group) throw notFound('Group not found.');
		const found = await tx.user.count({ where: { id: { in: wanted } } });
		if (found !== wanted.length) {
			throw new AppError('BAD_REQUEST', 'Some chosen users do not exist.', {
				userIds: ['Some chosen users do not exist.']
			});
		}
		const current = new Set(group.members.map((m) => m.userId));
		const toAdd = wanted.filter((u) => !current.has(u));
		const toRemove = [...current].filter((u) => !wanted.includes(u));
		await tx.groupMember.deleteMany({ where: { groupId: id, userId: { in: toRemove } } });
		await tx.groupMember.createMany({ data: toAdd.map((userId) => ({ groupId: id, userId })) });
		await audit(tx, {
			actorId: actor.id,
			action: 'group.members',
			entityType: 'Group',
			entityId: id,
			data: { added: toAdd, removed: toRemove },
			ip: actor.ip
		});
		return { name: group.name, toAdd };
	});
	for (const userId of added.toAdd) {
		if (userId !== actor.id) {
			await notify(userId, {
				type: 'group.added',
				title: `You were added to ${added.name}`,
				link: '/app'
			});
		}
	}
	await publish({ type: 'GroupChanged', groupId: id });
	return getGroup(id);
}

/** Sets which teams a user belongs to (from the user's page). */
export async function setUserGroups(actor: Actor, userId: string, groupIds: string[]) {
	const wanted = [...new Set(groupIds)];
	await db().$transaction(async (tx) => {
		const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
		if (!user) throw notFound('User not found.');
		if ((await tx.group.count({ where: { id: { in: wanted } } })) !== wanted.length) {
			throw new AppError('BAD_REQUEST', 'Some chosen teams do not exist.', {
				groupIds: ['Some chosen teams do not exist.']
			});
		}
		await tx.groupMember.deleteMany({ where: { userId, groupId: { notIn: wanted } } });
		await tx.groupMember.createMany({
			data: wanted.map((groupId) => ({ groupId, userId })),
			skipDuplicates: true
		});
		await audit(tx, {
			actorId: actor.id,
			action: 'user.groups',
			entityType: 'User',
			entityId: userId,
			data: { groupIds: wanted },
			ip: actor.ip
		});
	});
	for (const groupId of wanted) await publish({ type: 'GroupChanged', groupId });
	return wanted;
}
