import type { Component } from 'svelte';
import Bell from '@lucide/svelte/icons/bell';
import BookOpenText from '@lucide/svelte/icons/book-open-text';
import House from '@lucide/svelte/icons/house';
import KeyRound from '@lucide/svelte/icons/key-round';
import ListTree from '@lucide/svelte/icons/list-tree';
import Mail from '@lucide/svelte/icons/mail';
import MessageSquareText from '@lucide/svelte/icons/message-square-text';
import ScrollText from '@lucide/svelte/icons/scroll-text';
import Settings from '@lucide/svelte/icons/settings';
import Ticket from '@lucide/svelte/icons/ticket';
import Timer from '@lucide/svelte/icons/timer';
import Workflow from '@lucide/svelte/icons/workflow';
import UserCog from '@lucide/svelte/icons/user-cog';
import Users from '@lucide/svelte/icons/users';
import { can, type Permission, type RoleName } from './permissions';

export interface NavItem {
	href: string;
	label: string;
	icon: Component;
	permission: Permission;
}

/** The staff app's modules; each appears only for roles holding its permission. */
const STAFF_NAV: NavItem[] = [
	{ href: '/app', label: 'Home', icon: House, permission: 'staff.use' },
	{ href: '/app/tickets', label: 'Tickets', icon: Ticket, permission: 'ticket.note' },
	{ href: '/app/teams', label: 'Teams', icon: Users, permission: 'group.read' },
	{
		href: '/app/notifications',
		label: 'Notifications',
		icon: Bell,
		permission: 'notification.read'
	},
	{ href: '/app/admin/users', label: 'Users', icon: UserCog, permission: 'user.update' },
	{ href: '/app/admin/api-keys', label: 'API keys', icon: KeyRound, permission: 'apiKey.manage' },
	{
		href: '/app/admin/canned-responses',
		label: 'Canned responses',
		icon: MessageSquareText,
		permission: 'ticket.note'
	},
	{
		href: '/app/admin/ticket-fields',
		label: 'Ticket fields',
		icon: ListTree,
		permission: 'ticketConfig.manage'
	},
	{ href: '/app/admin/sla', label: 'SLA policies', icon: Timer, permission: 'sla.manage' },
	{
		href: '/app/admin/automation',
		label: 'Automation',
		icon: Workflow,
		permission: 'automation.manage'
	},
	{ href: '/app/admin/mail', label: 'Mail', icon: Mail, permission: 'settings.manage' },
	{ href: '/app/admin/audit', label: 'Audit log', icon: ScrollText, permission: 'audit.read' },
	{ href: '/app/admin/settings', label: 'Settings', icon: Settings, permission: 'settings.manage' },
	{ href: '/developers/api', label: 'API docs', icon: BookOpenText, permission: 'apiKey.manageOwn' }
];

export function staffNav(role: RoleName) {
	return STAFF_NAV.filter((item) => can(role, item.permission));
}

/** The nav item a path belongs to: the longest matching href. */
export function currentNav(items: { href: string }[], pathname: string): string {
	let best = '';
	for (const { href } of items) {
		if ((pathname === href || pathname.startsWith(href + '/')) && href.length > best.length)
			best = href;
	}
	return best;
}
