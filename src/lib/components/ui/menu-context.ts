import { getContext, setContext } from 'svelte';

export interface MenuContext {
	/** Close the menu; `restoreFocus` moves focus back to the trigger button. */
	close(restoreFocus: boolean): void;
}

const KEY = Symbol('dropdown-menu');

export function setMenuContext(ctx: MenuContext): void {
	setContext(KEY, ctx);
}

export function getMenuContext(): MenuContext | undefined {
	return getContext<MenuContext | undefined>(KEY);
}
