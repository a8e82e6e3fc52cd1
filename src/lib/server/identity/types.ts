import type { RoleName } from '$lib/permissions';

/** The signed-in user as every request sees it (resolved once in hooks.server.ts). */
export interface SessionUser {
	id: string;
	email: string;
	name: string;
	role: RoleName;
	theme: 'dark' | 'light';
}
