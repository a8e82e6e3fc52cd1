import type { RequestEvent } from '@sveltejs/kit';
import { resolveApiKey } from '../identity/apikeys';
import { resolveSession, SESSION_COOKIE } from '../identity/sessions';

/**
 * Resolves the caller once per request into event.locals: a bearer API key, else the session
 * cookie. With `resolve` false (health checks) the request stays anonymous without a query.
 */
export async function authenticate(event: RequestEvent, resolve = true): Promise<void> {
	event.locals.user = null;
	event.locals.sessionId = null;
	if (!resolve) return;
	const header = event.request.headers.get('authorization');
	if (header?.toLowerCase().startsWith('bearer ')) {
		event.locals.user = await resolveApiKey(header.slice(7).trim());
		return;
	}
	const session = await resolveSession(event.cookies.get(SESSION_COOKIE));
	if (session) {
		event.locals.user = session.user;
		event.locals.sessionId = session.sessionId;
	} else if (event.cookies.get(SESSION_COOKIE)) {
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
	}
}

export function sessionCookieOptions(event: RequestEvent, expires?: Date) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: event.url.protocol === 'https:',
		...(expires ? { expires } : {})
	};
}

const DOWN_PATTERNS =
	/ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|connect ECONN|Can't reach database|terminating connection|the database system is (shutting down|starting up)|P1001|P1017|DriverAdapterError/i;

/** True for errors that mean the database cannot be reached (not a bad query). */
export function isDatabaseDown(err: unknown): boolean {
	let e: unknown = err;
	for (let depth = 0; e && depth < 5; depth++) {
		const { message, code } = e as { message?: string; code?: string };
		if (
			(message && DOWN_PATTERNS.test(message)) ||
			(code && /^(ECONNREFUSED|57P01|57P03|08006|08001|P1001|P1017)$/.test(code))
		)
			return true;
		e = (e as { cause?: unknown }).cause;
	}
	return false;
}
