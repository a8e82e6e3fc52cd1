import type { Component } from 'svelte';

export type Theme = 'dark' | 'light';

export interface ShellNavItem {
	href: string;
	label: string;
	/** A Lucide icon component, e.g. `Ticket` from `@lucide/svelte`. */
	icon: Component;
}

export interface PortalNavItem {
	href: string;
	label: string;
}

export interface ShellUser {
	name: string;
	email: string;
	role: string;
	/** Optional picture; initials are shown otherwise. */
	avatarUrl?: string | null;
}

/** The nav href a pathname belongs to: the longest matching href ('' when none). */
export function activeHref(items: { href: string }[], pathname: string): string {
	let best = '';
	for (const { href } of items) {
		const matches =
			pathname === href || pathname.startsWith(href.endsWith('/') ? href : `${href}/`);
		if (matches && href.length > best.length) best = href;
	}
	return best;
}
