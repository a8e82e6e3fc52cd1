import { jwtVerify, SignJWT } from 'jose';
import { config } from '../config';
import { db } from '../db/client';
import { jwtSecret } from './secret';
import type { SessionUser } from './types';

export const SESSION_COOKIE = 'itsm_session';
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export interface IssuedSession {
	token: string;
	sessionId: string;
	expiresAt: Date;
}

export function toSessionUser(u: {
	id: string;
	email: string;
	name: string;
	role: SessionUser['role'];
	theme: 'DARK' | 'LIGHT';
}): SessionUser {
	return {
		id: u.id,
		email: u.email,
		name: u.name,
		role: u.role,
		theme: u.theme === 'LIGHT' ? 'light' : 'dark'
	};
}

/** A session row plus a signed JWT naming it; the row makes sign-out take effect at once. */
export async function issueSession(
	userId: string,
	meta: { ip?: string | null; userAgent?: string | null } = {}
): Promise<IssuedSession> {
	const expiresAt = new Date(Date.now() + config.sessionDays * 24 * 3600 * 1000);
	const session = await db().session.create({
		data: {
			userId,
			expiresAt,
			ip: meta.ip ?? null,
			userAgent: meta.userAgent?.slice(0, 300) ?? null
		}
	});
	const token = await new SignJWT({ sid: session.id })
		.setProtectedHeader({ alg: 'HS256' })
		.setSubject(userId)
		.setIssuedAt()
		.setExpirationTime(expiresAt)
		.sign(await jwtSecret());
	return { token, sessionId: session.id, expiresAt };
}

/**
 * The user behind a session token, or null when the token is forged or expired, the session was
 * revoked, or the user was deactivated. Role and theme come fresh from the database each time.
 */
export async function resolveSession(
	token: string | undefined
): Promise<{ user: SessionUser; sessionId: string } | null> {
	if (!token) return null;
	let sid: unknown;
	try {
		const { payload } = await jwtVerify(token, await jwtSecret(), { algorithms: ['HS256'] });
		sid = payload.sid;
	} catch {
		return null;
	}
	if (typeof sid !== 'string') return null;
	const session = await db().session.findUnique({
		where: { id: sid },
		select: {
			id: true,
			expiresAt: true,
			revokedAt: true,
			lastSeenAt: true,
			user: { select: { id: true, email: true, name: true, role: true, theme: true, active: true } }
		}
	});
	if (!session || session.revokedAt || session.expiresAt <= new Date() || !session.user.active) {
		return null;
	}
	if (Date.now() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
		await db().session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
	}
	return { user: toSessionUser(session.user), sessionId: session.id };
}

export async function revokeSession(sessionId: string): Promise<void> {
	await db().session.updateMany({
		where: { id: sessionId, revokedAt: null },
		data: { revokedAt: new Date() }
	});
}
