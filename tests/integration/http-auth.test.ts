import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/identity/apikeys';
import {
	issueSession,
	resolveSession,
	SESSION_COOKIE
} from '../../src/lib/server/identity/sessions';
import { authenticate, sessionCookieOptions } from '../../src/lib/server/http/auth';
import { callerFor, clientIp, contextFromEvent } from '../../src/lib/server/http/context';
import type { AppRouter } from '../../src/lib/server/trpc/root';
import type { SessionUser } from '../../src/lib/server/identity/types';
import { transformer } from '../../src/lib/trpc/transformer';
import { GET, POST } from '../../src/routes/api/trpc/[...trpc]/+server';
import { makeUser, sessionUserOf, TEST_PASSWORD, uniqueIp } from '../helpers/factories';
import { fakeEvent } from '../helpers/http';

const SYSTEM = { id: null };

describe('authenticate(event): the caller is resolved once per request', () => {
	it('a valid session cookie sets locals.user and locals.sessionId', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const { token, sessionId } = await issueSession(user.id);
		const { event, cookieCalls } = fakeEvent({ cookies: { [SESSION_COOKIE]: token } });
		await authenticate(event);
		expect(event.locals.user).toEqual(sessionUserOf(user));
		expect(event.locals.sessionId).toBe(sessionId);
		expect(cookieCalls).toEqual([]);
	});

	it('a dead session cookie is deleted and leaves the request anonymous', async () => {
		const { event, cookieCalls, jar } = fakeEvent({
			cookies: { [SESSION_COOKIE]: 'stale.token.here' }
		});
		await authenticate(event);
		expect(event.locals.user).toBeNull();
		expect(event.locals.sessionId).toBeNull();
		expect(cookieCalls).toEqual([{ op: 'delete', name: SESSION_COOKIE, options: { path: '/' } }]);
		expect(jar.has(SESSION_COOKIE)).toBe(false);
	});

	it('with resolve=false (health checks) the request stays anonymous, even with a valid cookie', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const { token } = await issueSession(user.id);
		const { event, cookieCalls } = fakeEvent({ cookies: { [SESSION_COOKIE]: token } });
		event.locals.user = sessionUserOf(user);
		await authenticate(event, false);
		expect(event.locals.user).toBeNull();
		expect(event.locals.sessionId).toBeNull();
		expect(cookieCalls).toEqual([]);
	});

	it('no cookie at all: anonymous, and no cookie is touched', async () => {
		const { event, cookieCalls } = fakeEvent();
		await authenticate(event);
		expect(event.locals.user).toBeNull();
		expect(cookieCalls).toEqual([]);
	});

	it('a bearer API key authenticates as its user, taking precedence over a cookie', async () => {
		const owner = await makeUser({ role: 'AGENT' });
		const cookieUser = await makeUser({ role: 'ADMIN' });
		const { token } = await issueSession(cookieUser.id);
		const { key } = await createApiKey(SYSTEM, owner.id, 'ci');
		const { event } = fakeEvent({
			headers: { authorization: `Bearer ${key}` },
			cookies: { [SESSION_COOKIE]: token }
		});
		await authenticate(event);
		expect(event.locals.user?.id).toBe(owner.id);
		expect(event.locals.sessionId).toBeNull();
	});

	it('an unknown bearer key leaves the request anonymous (no fallback to the cookie)', async () => {
		const cookieUser = await makeUser({ role: 'ADMIN' });
		const { token } = await issueSession(cookieUser.id);
		const { event } = fakeEvent({
			headers: { authorization: 'bearer itsm_not-a-real-key' },
			cookies: { [SESSION_COOKIE]: token }
		});
		await authenticate(event);
		expect(event.locals.user).toBeNull();
	});
});

describe('the tRPC context of an HTTP request', () => {
	it('session cookies are httpOnly, lax, path / and secure only on https', () => {
		const expires = new Date(Date.now() + 1000);
		expect(
			sessionCookieOptions(fakeEvent({ url: 'https://desk.example/' }).event, expires)
		).toEqual({
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: true,
			expires
		});
		expect(sessionCookieOptions(fakeEvent({ url: 'http://localhost/' }).event)).toEqual({
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: false
		});
	});

	it('takes the client address when the adapter knows it, "unknown" otherwise', () => {
		expect(clientIp(fakeEvent({ clientAddress: '192.0.2.7' }).event)).toBe('192.0.2.7');
		expect(clientIp(fakeEvent().event)).toBe('unknown');
		const ctx = contextFromEvent(fakeEvent({ clientAddress: '192.0.2.8' }).event);
		expect(ctx).toMatchObject({
			user: null,
			sessionId: null,
			ip: '192.0.2.8',
			requestId: 'test-request'
		});
	});

	it('signing in through callerFor(event) sets the session cookie; signing out deletes it', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const signedIn = fakeEvent({ url: 'https://desk.example/login', clientAddress: uniqueIp() });
		await callerFor(signedIn.event).auth.signIn({ email: user.email, password: TEST_PASSWORD });
		const set = signedIn.cookieCalls.find((c) => c.op === 'set');
		expect(set).toMatchObject({
			name: SESSION_COOKIE,
			options: { path: '/', httpOnly: true, sameSite: 'lax', secure: true }
		});
		expect(set?.options.expires).toBeInstanceOf(Date);
		const session = await resolveSession(set?.value);
		expect(session?.user.id).toBe(user.id);

		const out = fakeEvent({ url: 'https://desk.example/logout' });
		out.event.locals.user = session!.user;
		out.event.locals.sessionId = session!.sessionId;
		await callerFor(out.event).auth.signOut();
		expect(out.cookieCalls).toEqual([
			{
				op: 'delete',
				name: SESSION_COOKIE,
				options: { path: '/', httpOnly: true, sameSite: 'lax', secure: true }
			}
		]);
		expect(await resolveSession(set?.value)).toBeNull();
	});
});

describe('tRPC over HTTP (/api/trpc)', () => {
	/** A tRPC client whose requests go straight into the SvelteKit endpoint, as `user`. */
	function httpClient(user: SessionUser | null) {
		return createTRPCClient<AppRouter>({
			links: [
				httpBatchLink({
					url: 'http://localhost/api/trpc',
					transformer,
					fetch: async (url, init) => {
						const { event } = fakeEvent({
							url: String(url),
							method: init?.method,
							headers: init?.headers as Record<string, string>,
							body: init?.body as BodyInit,
							clientAddress: '192.0.2.10'
						});
						event.locals.user = user;
						return (init?.method === 'POST' ? POST : GET)(event as never);
					}
				})
			]
		});
	}

	it('an admin creating a user with bad fields gets 400 and a message per field', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const err = await httpClient(sessionUserOf(admin))
			.users.create.mutate({ name: '', email: 'not-an-email', role: 'WIZARD' as never })
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(TRPCClientError);
		const e = err as TRPCClientError<AppRouter>;
		expect(e.message).toBe('Some fields are not valid.');
		expect(e.data?.code).toBe('BAD_REQUEST');
		expect(e.data?.httpStatus).toBe(400);
		expect(e.data?.fields).toEqual({
			name: ['Name is required.'],
			email: ['Enter a valid email address.'],
			role: ['Choose a valid role.']
		});
		expect((e.data as { stack?: unknown }).stack).toBeUndefined();
	});

	it('an end user listing users gets 403 FORBIDDEN; anonymous gets 401', async () => {
		const endUser = await makeUser({ role: 'END_USER' });
		const forbidden = await httpClient(sessionUserOf(endUser))
			.users.list.query({})
			.then(
				() => undefined,
				(e: unknown) => e as TRPCClientError<AppRouter>
			);
		expect(forbidden?.data?.code).toBe('FORBIDDEN');
		expect(forbidden?.data?.httpStatus).toBe(403);
		const anonymous = await httpClient(null)
			.users.list.query({})
			.then(
				() => undefined,
				(e: unknown) => e as TRPCClientError<AppRouter>
			);
		expect(anonymous?.data?.httpStatus).toBe(401);
	});

	it('a query returns its data through the transformer (dates stay dates)', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const page = await httpClient(sessionUserOf(admin)).users.list.query({ search: admin.email });
		expect(page.items.map((u) => u.id)).toEqual([admin.id]);
		expect(page.items[0]?.createdAt).toBeInstanceOf(Date);
	});
});
