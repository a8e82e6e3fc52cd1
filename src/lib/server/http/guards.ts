import type { Permission } from '$lib/permissions';

/**
 * Page and endpoint guards by path prefix, checked in hooks.server.ts for every request (layout
 * loads don't rerun on every navigation). The most specific matching prefix wins; paths not
 * listed are public. The permission walk test reads this table.
 */
export const ROUTE_GUARDS: { prefix: string; permission: Permission | 'authenticated' }[] = [
	{ prefix: '/app/admin/users', permission: 'user.update' },
	{ prefix: '/app/admin/api-keys', permission: 'apiKey.manage' },
	{ prefix: '/app/admin/audit', permission: 'audit.read' },
	{ prefix: '/app/admin/canned-responses', permission: 'ticket.note' },
	{ prefix: '/app/admin/ticket-fields', permission: 'ticketConfig.manage' },
	{ prefix: '/app/admin/sla', permission: 'sla.manage' },
	{ prefix: '/app/admin/automation', permission: 'automation.manage' },
	{ prefix: '/app/admin', permission: 'settings.manage' },
	{ prefix: '/app/teams', permission: 'group.read' },
	{ prefix: '/app', permission: 'staff.use' },
	{ prefix: '/portal', permission: 'portal.use' },
	{ prefix: '/account', permission: 'authenticated' }
];

export function guardFor(pathname: string) {
	let best: (typeof ROUTE_GUARDS)[number] | undefined;
	for (const g of ROUTE_GUARDS) {
		const hit = pathname === g.prefix || pathname.startsWith(g.prefix + '/');
		if (hit && (!best || g.prefix.length > best.prefix.length)) best = g;
	}
	return best;
}
