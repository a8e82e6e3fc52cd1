import { AppError } from '../errors';
import { db } from '../db/client';
import { audit } from '../audit';
import { dummyHash, verifyPassword } from './passwords';
import { clearSignInFailures, consumeSignInAttempt, signInKey } from './ratelimit';
import { issueSession, revokeSession, toSessionUser, type IssuedSession } from './sessions';
import type { SessionUser } from './types';

export const INVALID_CREDENTIALS = 'Incorrect email or password.';

export interface SignInResult extends IssuedSession {
	user: SessionUser;
}

/**
 * Checks the password and opens a session. Unknown email, wrong password, no password and a
 * deactivated account all give the same message, after the same argon2 work.
 */
export async function signIn(
	email: string,
	password: string,
	meta: { ip: string; userAgent?: string | null }
): Promise<SignInResult> {
	const key = signInKey(meta.ip, email);
	await consumeSignInAttempt(key);
	const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() } });
	const ok = user
		? await verifyPassword(user.passwordHash, password)
		: await verifyPassword(await dummyHash(), password).then(() => false);
	if (!user || !ok || !user.active || user.role === 'REQUESTER') {
		throw new AppError('UNAUTHORIZED', INVALID_CREDENTIALS);
	}
	await clearSignInFailures(key);
	const session = await issueSession(user.id, meta);
	await db().$transaction(async (tx) => {
		await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
		await audit(tx, {
			actorId: user.id,
			action: 'auth.signIn',
			entityType: 'User',
			entityId: user.id,
			ip: meta.ip
		});
	});
	return { ...session, user: toSessionUser(user) };
}

export async function signOut(sessionId: string | null): Promise<void> {
	if (sessionId) await revokeSession(sessionId);
}
