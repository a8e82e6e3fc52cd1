import { createHash, randomBytes } from 'node:crypto';
import { notFound } from '../errors';
import { db } from '../db/client';
import { audit } from '../audit';
import { apiKeyNameSchema } from './schemas';
import { toSessionUser } from './sessions';
import type { SessionUser } from './types';
import type { Actor } from './users';

const PREFIX = 'itsm_';

function digest(key: string): string {
	return createHash('sha256').update(key).digest('hex');
}

/** Creates a key for a user. The full key is returned once and only its SHA-256 is stored. */
export async function createApiKey(actor: Actor, userId: string, name: string) {
	name = apiKeyNameSchema.parse(name);
	const secret = randomBytes(24).toString('base64url');
	const key = `${PREFIX}${secret}`;
	const row = await db().$transaction(async (tx) => {
		const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
		if (!user) throw notFound('User not found.');
		const created = await tx.apiKey.create({
			data: { name, userId, prefix: key.slice(0, 12), hash: digest(key) },
			select: { id: true, name: true, prefix: true, createdAt: true, userId: true }
		});
		await audit(tx, {
			actorId: actor.id,
			action: 'apiKey.create',
			entityType: 'ApiKey',
			entityId: created.id,
			data: { name, userId },
			ip: actor.ip
		});
		return created;
	});
	return { ...row, key };
}

export function listApiKeys(userId?: string) {
	return db().apiKey.findMany({
		where: { userId, revokedAt: null },
		orderBy: { createdAt: 'desc' },
		select: {
			id: true,
			name: true,
			prefix: true,
			createdAt: true,
			lastUsedAt: true,
			user: { select: { id: true, name: true, email: true } }
		}
	});
}

/** Revokes a key; `ownerId` limits it to the caller's own keys. */
export async function revokeApiKey(actor: Actor, id: string, ownerId?: string): Promise<void> {
	await db().$transaction(async (tx) => {
		const res = await tx.apiKey.updateMany({
			where: { id, userId: ownerId, revokedAt: null },
			data: { revokedAt: new Date() }
		});
		if (res.count === 0) throw notFound('API key not found.');
		await audit(tx, {
			actorId: actor.id,
			action: 'apiKey.revoke',
			entityType: 'ApiKey',
			entityId: id,
			ip: actor.ip
		});
	});
}

/** The active user behind a bearer key, or null. */
export async function resolveApiKey(key: string): Promise<SessionUser | null> {
	if (!key.startsWith(PREFIX)) return null;
	const row = await db().apiKey.findUnique({
		where: { hash: digest(key) },
		select: {
			id: true,
			revokedAt: true,
			expiresAt: true,
			lastUsedAt: true,
			user: { select: { id: true, email: true, name: true, role: true, theme: true, active: true } }
		}
	});
	if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date()) || !row.user.active) {
		return null;
	}
	if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
		await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
	}
	return toSessionUser(row.user);
}
