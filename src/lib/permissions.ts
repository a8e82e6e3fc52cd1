/**
 * The one registry of permissions. Every tRPC procedure, page guard and REST endpoint asks
 * `can(role, permission)`. Shared with the browser (no secrets here) so the nav shows only what
 * a role may use; the server always checks again.
 */
export const ROLES = ['ADMIN', 'IT_MANAGER', 'AGENT', 'END_USER', 'REQUESTER'] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_LABELS: Record<RoleName, string> = {
	ADMIN: 'Admin',
	IT_MANAGER: 'IT Manager',
	AGENT: 'Agent',
	END_USER: 'End User',
	REQUESTER: 'Requester'
};

export const PERMISSIONS = [
	'profile.read',
	'profile.update',
	'notification.read',
	'portal.use',
	'staff.use',
	'user.read',
	'user.create',
	'user.update',
	'user.changeRole',
	'user.deactivate',
	'group.read',
	'group.manage',
	'apiKey.manage',
	'apiKey.manageOwn',
	'audit.read',
	'settings.manage',
	'system.health',
	'ticket.read',
	'ticket.create',
	'ticket.reply',
	'ticket.note',
	'ticket.update',
	'ticket.merge',
	'ticket.delete',
	'ticketConfig.manage',
	'sla.manage',
	'automation.manage',
	'cannedResponse.manageShared',
	'view.manageShared'
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const SELF: Permission[] = ['profile.read', 'profile.update', 'notification.read'];
/** Tickets an End User may touch: their own, never internal notes (scoped in tickets/access.ts). */
const REQUESTING: Permission[] = ['ticket.read', 'ticket.create', 'ticket.reply'];
const STAFF: Permission[] = [
	...SELF,
	...REQUESTING,
	'staff.use',
	'user.read',
	'group.read',
	'apiKey.manageOwn',
	'ticket.note',
	'ticket.update',
	'ticket.merge'
];
const MANAGING: Permission[] = ['cannedResponse.manageShared', 'view.manageShared'];

export const ROLE_PERMISSIONS: Record<RoleName, ReadonlySet<Permission>> = {
	ADMIN: new Set(PERMISSIONS.filter((p) => p !== 'portal.use')),
	IT_MANAGER: new Set<Permission>([
		...STAFF,
		...MANAGING,
		'group.manage',
		'system.health',
		'sla.manage',
		'automation.manage'
	]),
	AGENT: new Set<Permission>(STAFF),
	END_USER: new Set<Permission>([...SELF, ...REQUESTING, 'portal.use']),
	REQUESTER: new Set<Permission>([])
};

export function can(role: RoleName | null | undefined, permission: Permission): boolean {
	return role ? ROLE_PERMISSIONS[role].has(permission) : false;
}

export const STAFF_ROLES: readonly RoleName[] = ['ADMIN', 'IT_MANAGER', 'AGENT'];

export function isStaff(role: RoleName | null | undefined): boolean {
	return can(role, 'staff.use');
}

/** Where a role lands after sign-in. */
export function homeFor(role: RoleName): string {
	if (isStaff(role)) return '/app';
	if (can(role, 'portal.use')) return '/portal';
	return '/login';
}
