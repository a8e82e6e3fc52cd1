import type { Logger } from 'pino';
import { log as rootLog } from '../log';
import type { SessionUser } from '../identity/types';

/** What every procedure sees: built from event.locals (HTTP) or the socket's cookie (ws). */
export interface Context {
	user: SessionUser | null;
	sessionId: string | null;
	ip: string;
	requestId: string;
	log: Logger;
	/** Sets/clears the session cookie; only present on HTTP requests. */
	cookies?: {
		setSession(token: string, expiresAt: Date): void;
		clearSession(): void;
	};
}

export function createContext(partial: Partial<Context> & Pick<Context, 'user'>): Context {
	return {
		sessionId: null,
		ip: '127.0.0.1',
		requestId: 'internal',
		log: rootLog,
		...partial
	};
}
