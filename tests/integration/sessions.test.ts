import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { signIn } from '../../src/lib/server/identity/auth';
import { jwtSecret } from '../../src/lib/server/identity/secret';
import {
	issueSession,
	resolveSession,
	revokeSession
} from '../../src/lib/server/identity/sessions';
import { changeRole, setActive, setTheme } from '../../src/lib/server/identity/users';
import { makeUser, TEST_PASSWORD, uniqueIp, callerAs } from '../helpers/factories';

const SYSTEM = { id: null, ip: '127.0.0.1' };

async function sign(claims: Record<string, unknown>, opts: { exp?: Date; key?: Uint8Array } = {}) {
	return new SignJWT(claims)
		.setProtectedHeader({ alg: 'HS256' })
		.setIssuedAt()
		.setExpirationTime(opts.exp ?? new Date(Date.now() + 3600_000))
		.sign(opts.key ?? (await jwtSecret()));
}

describe('sessions', () => {
	it('an issued session resolves to its user with a fresh role and theme', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const { token, sessionId } = await issueSession(user.id, {
			ip: '10.9.9.9',
			userAgent: 'x'.repeat(400)
		});
		const resolved = await resolveSession(token);
		expect(resolved).toEqual({
			sessionId,
			user: { id: user.id, email: user.email, name: user.name, role: 'AGENT', theme: 'dark' }
		});
		const row = await db().session.findUniqueOrThrow({ where: { id: sessionId } });
		expect(row.userAgent).toHaveLength(300);

		await setTheme(user.id, 'light');
		expect((await resolveSession(token))?.user.theme).toBe('light');
	});

	it('signing out through tRPC revokes the session at once', async () => {
		const user = await makeUser();
		const { token, sessionId } = await signIn(user.email, TEST_PASSWORD, { ip: uniqueIp() });
		const other = await issueSession(user.id);
		expect(await callerAs(user, sessionId).auth.signOut()).toEqual({ ok: true });
		expect(await resolveSession(token)).toBeNull();
		const row = await db().session.findUniqueOrThrow({ where: { id: sessionId } });
		expect(row.revokedAt).not.toBeNull();
		// Only that session: the user's other devices stay signed in.
		expect((await resolveSession(other.token))?.user.id).toBe(user.id);
	});

	it('revoking twice keeps the first revocation time', async () => {
		const user = await makeUser();
		const { sessionId } = await issueSession(user.id);
		await revokeSession(sessionId);
		const first = (await db().session.findUniqueOrThrow({ where: { id: sessionId } })).revokedAt;
		await revokeSession(sessionId);
		const second = (await db().session.findUniqueOrThrow({ where: { id: sessionId } })).revokedAt;
		expect(second).toEqual(first);
	});

	it('deactivating a user revokes every session at once', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const a = await issueSession(user.id);
		const b = await issueSession(user.id);
		await setActive(SYSTEM, user.id, false);
		expect(await resolveSession(a.token)).toBeNull();
		expect(await resolveSession(b.token)).toBeNull();
		expect(await db().session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);

		// Reactivating does not bring the old sessions back.
		await setActive(SYSTEM, user.id, true);
		expect(await resolveSession(a.token)).toBeNull();
	});

	it('a role change is visible on the next resolveSession', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const { token } = await issueSession(user.id);
		expect((await resolveSession(token))?.user.role).toBe('END_USER');
		await changeRole(SYSTEM, user.id, 'AGENT');
		expect((await resolveSession(token))?.user.role).toBe('AGENT');
	});

	it('forged, expired, garbage and missing tokens resolve to null', async () => {
		const user = await makeUser();
		const { sessionId } = await issueSession(user.id);
		const otherKey = new TextEncoder().encode('a-different-secret-of-enough-length!');

		expect(await resolveSession(undefined)).toBeNull();
		expect(await resolveSession('')).toBeNull();
		expect(await resolveSession('garbage')).toBeNull();
		expect(await resolveSession('a.b.c')).toBeNull();
		expect(await resolveSession(await sign({ sid: sessionId }, { key: otherKey }))).toBeNull();
		expect(
			await resolveSession(await sign({ sid: sessionId }, { exp: new Date(Date.now() - 60_000) }))
		).toBeNull();
		// Signed correctly, but naming no session, or a session id of the wrong type.
		expect(await resolveSession(await sign({ sid: randomUUID() }))).toBeNull();
		expect(await resolveSession(await sign({ sid: 42 }))).toBeNull();
		expect(await resolveSession(await sign({}))).toBeNull();
		// alg "none" is not accepted.
		const unsigned =
			Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url') +
			'.' +
			Buffer.from(JSON.stringify({ sid: sessionId })).toString('base64url') +
			'.';
		expect(await resolveSession(unsigned)).toBeNull();
		// The genuine token still works.
		expect(await resolveSession(await sign({ sid: sessionId }))).not.toBeNull();
	});

	it('a session whose row has expired resolves to null even with a valid token', async () => {
		const user = await makeUser();
		const { token, sessionId } = await issueSession(user.id);
		await db().session.update({
			where: { id: sessionId },
			data: { expiresAt: new Date(Date.now() - 1000) }
		});
		expect(await resolveSession(token)).toBeNull();
	});

	it('lastSeenAt is touched when older than five minutes, and not on every request', async () => {
		const user = await makeUser();
		const { token, sessionId } = await issueSession(user.id);
		const recent = new Date(Date.now() - 60_000);
		await db().session.update({ where: { id: sessionId }, data: { lastSeenAt: recent } });
		await resolveSession(token);
		expect((await db().session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt).toEqual(
			recent
		);

		const old = new Date(Date.now() - 10 * 60_000);
		await db().session.update({ where: { id: sessionId }, data: { lastSeenAt: old } });
		const before = Date.now();
		await resolveSession(token);
		const seen = (await db().session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt;
		expect(seen.getTime()).toBeGreaterThanOrEqual(before - 1000);
	});
});
