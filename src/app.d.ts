import type { Logger } from 'pino';
import type { SessionUser } from '$lib/server/identity/types';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			sessionId: string | null;
			requestId: string;
			log: Logger;
			theme: 'dark' | 'light';
		}
		interface Error {
			message: string;
			errorId?: string;
		}
		interface PageData {
			user?: SessionUser | null;
			theme?: 'dark' | 'light';
		}
	}
}

export {};
