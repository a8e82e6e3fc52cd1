import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { AppError } from '../../src/lib/server/errors';
import { INVALID_CREDENTIALS, signIn } from '../../src/lib/server/identity/auth';
import { resolveSession } from '../../src/lib/server/identity/sessions';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCaller } from '../../src/lib/server/trpc/root';
import { auditOf, makeUser, TEST_PASSWORD, uniqueEmail, uniqueIp } from '../helpers/factories';
import { errorShape, expectCode } from '../helpers/trpc';

/** The AppError a sign-in attempt fails with. */
async function failure(attempt: Promise<unknown>): Promise<AppError> {
	const err = await attempt.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(AppError);
	return err as AppError;
}

function anonymousCaller(ip: string) {
	const cookies: { token?: string; expiresAt?: Date } = {};
	const caller = createCaller(
		createContext({
			user: null,
			ip,
			cookies: {
				setSession: (token, expiresAt) => Object.assign(cookies, { token, expiresAt }),
				clearSession: () => Object.assign(cookies, { token: undefined })
			}
		})
	);
	return { caller, cookies };
}

describe('signing in', () => {
	it('the right password opens a session, stamps lastLoginAt and writes an audit row', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const ip = uniqueIp();
		const result = await signIn(user.email, TEST_PASSWORD, { ip, userAgent: 'vitest' });

		expect(result.user).toEqual({
			id: user.id,
			email: user.email,
			name: user.name,
			role: 'AGENT',
			theme: 'dark'
		});
		expect(result.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
		expect((await resolveSession(result.token))?.sessionId).toBe(result.sessionId);
		const session = await db().session.findUniqueOrThrow({ where: { id: result.sessionId } });
		expect(session).toMatchObject({ userId: user.id, ip, userAgent: 'vitest', revokedAt: null });
		const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
		expect(row.lastLoginAt).not.toBeNull();
		const audit = await auditOf(user.id);
		expect(audit.map((a) => [a.action, a.actorId, a.ip])).toContainEqual([
			'auth.signIn',
			user.id,
			ip
		]);
	});

	it('matches the email case-insensitively and ignores surrounding spaces', async () => {
		const user = await makeUser();
		const result = await signIn(`  ${user.email.toUpperCase()} `, TEST_PASSWORD, {
			ip: uniqueIp()
		});
		expect(result.user.id).toBe(user.id);
	});

	it('through tRPC, sets the session cookie and returns the user', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const { caller, cookies } = anonymousCaller(uniqueIp());
		const me = await caller.auth.signIn({ email: user.email, password: TEST_PASSWORD });
		expect(me.id).toBe(user.id);
		expect((await resolveSession(cookies.token))?.user.id).toBe(user.id);
		expect(cookies.expiresAt).toBeInstanceOf(Date);
	});

	it('a wrong password and an unknown email fail with the same message', async () => {
		const user = await makeUser();
		const wrong = await failure(signIn(user.email, 'not the password', { ip: uniqueIp() }));
		const unknown = await failure(signIn(uniqueEmail('nobody'), TEST_PASSWORD, { ip: uniqueIp() }));
		expect(wrong.code).toBe('UNAUTHORIZED');
		expect(unknown.code).toBe('UNAUTHORIZED');
		expect(wrong.message).toBe(INVALID_CREDENTIALS);
		expect(unknown.message).toBe(wrong.message);
	});

	it('a deactivated user, a requester, and an account without a usable password are refused with that same message', async () => {
		const inactive = await makeUser({ role: 'AGENT', active: false });
		const requester = await makeUser({ role: 'REQUESTER' });
		const noPassword = await makeUser({ password: null });
		for (const user of [inactive, requester]) {
			const err = await failure(signIn(user.email, TEST_PASSWORD, { ip: uniqueIp() }));
			expect(err.message).toBe(INVALID_CREDENTIALS);
		}
		const err = await failure(signIn(noPassword.email, '', { ip: uniqueIp() }));
		expect(err.message).toBe(INVALID_CREDENTIALS);
		const corrupt = await makeUser();
		await db().user.update({
			where: { id: corrupt.id },
			data: { passwordHash: 'not-an-argon2-hash' }
		});
		const bad = await failure(signIn(corrupt.email, TEST_PASSWORD, { ip: uniqueIp() }));
		expect(bad.message).toBe(INVALID_CREDENTIALS);
		expect(
			await db().session.count({ where: { userId: { in: [inactive.id, requester.id] } } })
		).toBe(0);
	});

	it('through tRPC, a refused sign-in is UNAUTHORIZED with the same message and sets no cookie', async () => {
		const requester = await makeUser({ role: 'REQUESTER' });
		const { caller, cookies } = anonymousCaller(uniqueIp());
		const err = await expectCode(
			caller.auth.signIn({ email: requester.email, password: TEST_PASSWORD }),
			'UNAUTHORIZED'
		);
		expect(err.message).toBe(INVALID_CREDENTIALS);
		expect(cookies.token).toBeUndefined();
	});
});

describe('sign-in rate limit: 10 failures per minute per IP + email', () => {
	async function failTimes(email: string, ip: string, times: number) {
		for (let i = 0; i < times; i++) {
			const err = await failure(signIn(email, `wrong-${i}`, { ip }));
			expect(err.code, `attempt ${i + 1}`).toBe('UNAUTHORIZED');
		}
	}

	it('the 11th attempt is TOO_MANY_REQUESTS with "Try again in N s", even with the right password', async () => {
		const user = await makeUser();
		const ip = uniqueIp();
		await failTimes(user.email, ip, 10);

		const blocked = await failure(signIn(user.email, TEST_PASSWORD, { ip }));
		expect(blocked.code).toBe('TOO_MANY_REQUESTS');
		const seconds = Number(/Try again in (\d+) s\./.exec(blocked.message)?.[1]);
		expect(seconds).toBeGreaterThanOrEqual(1);
		expect(seconds).toBeLessThanOrEqual(60);
		expect(blocked.retryAfterSeconds).toBe(seconds);
		expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
	});

	it('through tRPC the block is TOO_MANY_REQUESTS and the client is told when to retry', async () => {
		const user = await makeUser();
		const ip = uniqueIp();
		await failTimes(user.email, ip, 10);
		const { caller } = anonymousCaller(ip);
		const err = await expectCode(
			caller.auth.signIn({ email: user.email, password: TEST_PASSWORD }),
			'TOO_MANY_REQUESTS'
		);
		const shape = errorShape(err, 'auth.signIn');
		expect(shape.message).toMatch(/Try again in \d+ s\./);
		expect(shape.data.retryAfter).toBeGreaterThanOrEqual(1);
	});

	it('another IP, or another email from the same IP, is not affected', async () => {
		const user = await makeUser();
		const other = await makeUser();
		const ip = uniqueIp();
		await failTimes(user.email, ip, 10);
		expect((await failure(signIn(user.email, 'x', { ip }))).code).toBe('TOO_MANY_REQUESTS');

		const elsewhere = await signIn(user.email, TEST_PASSWORD, { ip: uniqueIp() });
		expect(elsewhere.user.id).toBe(user.id);
		const sameIp = await signIn(other.email, TEST_PASSWORD, { ip });
		expect(sameIp.user.id).toBe(other.id);
	});

	it('unknown emails are counted too (no free guessing of who exists)', async () => {
		const email = uniqueEmail('ghost');
		const ip = uniqueIp();
		await failTimes(email, ip, 10);
		expect((await failure(signIn(email, 'x', { ip }))).code).toBe('TOO_MANY_REQUESTS');
	});

	it('a successful sign-in clears the counter', async () => {
		const user = await makeUser();
		const ip = uniqueIp();
		await failTimes(user.email, ip, 4);
		await signIn(user.email, TEST_PASSWORD, { ip });
		// Counting on from 4, the 7th failure below would already be blocked: it starts from 0.
		await failTimes(user.email, ip, 10);
		expect((await failure(signIn(user.email, 'x', { ip }))).code).toBe('TOO_MANY_REQUESTS');
	});

	it('a burst of parallel attempts cannot check more than 10 passwords', async () => {
		const user = await makeUser();
		const ip = uniqueIp();
		const results = await Promise.all(
			Array.from({ length: 25 }, (_, i) => failure(signIn(user.email, `burst-${i}`, { ip })))
		);
		const checked = results.filter((e) => e.code === 'UNAUTHORIZED').length;
		const blocked = results.filter((e) => e.code === 'TOO_MANY_REQUESTS').length;
		expect(checked + blocked).toBe(25);
		expect(checked).toBeLessThanOrEqual(10);
	});
});
