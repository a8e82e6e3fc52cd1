import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/lib/server/errors';
import { createApiKey } from '../../src/lib/server/identity/apikeys';
import { endpoint, readJson } from '../../src/lib/server/http/rest';
import { authenticate } from '../../src/lib/server/http/auth';
import { GET as getMe } from '../../src/routes/api/v1/me/+server';
import { makeUser, sessionUserOf } from '../helpers/factories';
import { fakeEvent } from '../helpers/http';

describe('REST conventions', () => {
	it('GET /api/v1/me with a bearer API key answers as the key owner', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const { key } = await createApiKey({ id: null }, user.id, 'script');
		const { event } = fakeEvent({
			url: 'http://localhost/api/v1/me',
			headers: { authorization: `Bearer ${key}` }
		});
		await authenticate(event);
		const res = await getMe(event as never);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ id: user.id, email: user.email, role: 'agent' });
	});

	it('a wrong key is 401 with a JSON error and a Bearer challenge', async () => {
		const { event } = fakeEvent({ headers: { authorization: 'Bearer itsm_nope' } });
		await authenticate(event);
		const res = await getMe(event as never);
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toBe('Bearer');
		expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
	});

	it('maps zod errors to 400 with per-field messages', async () => {
		const user = await makeUser({ role: 'ADMIN' });
		const handler = endpoint('authenticated', () => {
			z.object({ subject: z.string().min(3, 'Subject is too short.') }).parse({ subject: 'x' });
			return new Response();
		});
		const { event } = fakeEvent();
		event.locals.user = sessionUserOf(user);
		const res = await handler(event as never);
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({
			error: {
				code: 'BAD_REQUEST',
				message: 'Some fields are not valid.',
				fields: { subject: ['Subject is too short.'] }
			}
		});
	});

	it('maps AppError to its status, with Retry-After for rate limits', async () => {
		const handler = endpoint('public', () => {
			throw new AppError('TOO_MANY_REQUESTS', 'Slow down.', undefined, 7);
		});
		const res = await handler(fakeEvent().event as never);
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('7');
		const notFound = endpoint('public', () => {
			throw new AppError('NOT_FOUND', 'No such ticket.');
		});
		expect((await notFound(fakeEvent().event as never)).status).toBe(404);
	});

	it('an unexpected error is a 500 without details; a lost database is a 503', async () => {
		const boom = endpoint('public', () => {
			throw new Error('secret internals');
		});
		const res = await boom(fakeEvent().event as never);
		expect(res.status).toBe(500);
		expect(JSON.stringify(await res.json())).not.toContain('secret');
		const down = endpoint('public', () => {
			throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
				code: 'ECONNREFUSED'
			});
		});
		expect((await down(fakeEvent().event as never)).status).toBe(503);
	});

	it('an endpoint without an access rule refuses to run', async () => {
		const res = await endpoint(undefined, () => new Response('ran'))(fakeEvent().event as never);
		expect(res.status).toBe(500);
	});

	it('malformed JSON bodies are a 400, not a 500', async () => {
		const { event } = fakeEvent({
			method: 'POST',
			body: '{not json',
			headers: { 'content-type': 'application/json' }
		});
		await expect(readJson(event)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		const ok = fakeEvent({ method: 'POST', body: '{"a":1}' }).event;
		expect(await readJson(ok)).toEqual({ a: 1 });
	});
});
