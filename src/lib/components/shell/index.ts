export { default as AppShell } from './AppShell.svelte';
export { default as PortalShell } from './PortalShell.svelte';
export { default as ThemeToggle } from './ThemeToggle.svelte';
export { default as UserMenu } from './UserMenu.svelte';
export {
	activeHref,
	type PortalNavItem,
	type ShellNavItem,
	type ShellUser,
	type Theme
} from './types';
