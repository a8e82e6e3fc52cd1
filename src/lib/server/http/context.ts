import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from '../identity/sessions';
import { createContext, type Context } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { sessionCookieOptions } from './auth';

/** The tRPC context of an HTTP request, from what hooks.server.ts put in event.locals. */
export function contextFromEvent(event: RequestEvent): Context {
	return createContext({
		user: event.locals.user,
		sessionId: event.locals.sessionId,
		ip: clientIp(event),
		requestId: event.locals.requestId,
		log: event.locals.log,
		cookies: {
			setSession(token, expiresAt) {
				event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(event, expiresAt));
			},
			clearSession() {
				event.cookies.delete(SESSION_COOKIE, sessionCookieOptions(event));
			}
		}
	});
}

export function clientIp(event: RequestEvent): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

/** Server loads and actions call procedures directly, not over HTTP. */
export const callerFor = (event: RequestEvent) => createCaller(contextFromEvent(event));
