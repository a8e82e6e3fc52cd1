import { goto } from '$app/navigation';
import type { TicketList } from './list.svelte';

/**
 * The list's keyboard shortcuts, on the document (so "/" reaches the search box before the
 * app's command palette, which listens on the window). Ignored while typing, in menus and
 * dialogs, and with modifier keys.
 */

export interface ListKeys {
	move: (by: 1 | -1) => void;
	toggle: () => void;
	open: () => void;
	assignToMe: () => void;
	openMenu: (which: 'assignee' | 'status' | 'priority') => void;
	search: () => void;
	help: () => void;
	escape: () => boolean;
}

/** Places where keys mean something else: text entry, menus, dialogs (checkboxes are fine). */
const BUSY =
	'input:not([type="checkbox"]):not([type="radio"]), textarea, select, [contenteditable="true"], [role="menu"], [role="dialog"], dialog';

/** The shortcuts acting on the list's rows (the keyboard cursor, the selection). */
export function rowKeys(
	list: TicketList,
	me: { id: string; name: string },
	help: () => void
): ListKeys {
	const rowEl = (i: number) => document.querySelector<HTMLElement>(`tr[data-index="${i}"]`);
	const focused = () => list.items[list.cursor];
	return {
		move(by) {
			const i = Math.max(0, Math.min(list.items.length - 1, list.cursor + by));
			list.cursor = i;
			const el = rowEl(i);
			el?.querySelector<HTMLElement>('[data-row-link]')?.focus({ preventScroll: true });
			el?.scrollIntoView({ block: 'nearest' });
		},
		toggle: () => list.cursor >= 0 && list.toggle(list.cursor, false),
		open() {
			const row = focused();
			if (row) void goto(`/app/tickets/${row.number}`);
		},
		assignToMe() {
			const row = focused();
			if (list.selected.size) void list.bulk({ assigneeId: me.id }, 'Assigned to you');
			else if (row) void list.edit(row, { assignee: me });
		},
		openMenu(which) {
			const cell = { assignee: '.c-assignee', status: '.c-status', priority: '.c-priority' }[which];
			rowEl(list.cursor)?.querySelector<HTMLButtonElement>(`${cell} button`)?.click();
		},
		search: () => document.getElementById('ticket-search')?.focus(),
		help,
		escape() {
			if (!list.selected.size) return false;
			list.clearSelection();
			return true;
		}
	};
}

export function listShortcuts(keys: ListKeys): () => void {
	const onkeydown = (e: KeyboardEvent) => {
		if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
		const target = e.target as HTMLElement | null;
		if (target?.closest?.(BUSY) || document.querySelector('dialog[open], [popover]:popover-open'))
			return;
		const action: Record<string, (() => unknown) | undefined> = {
			j: () => keys.move(1),
			k: () => keys.move(-1),
			x: keys.toggle,
			o: keys.open,
			// Enter on a link or button does what that element does.
			Enter: target?.closest('a, button') ? undefined : keys.open,
			a: keys.assignToMe,
			A: () => keys.openMenu('assignee'),
			s: () => keys.openMenu('status'),
			p: () => keys.openMenu('priority'),
			'/': keys.search,
			'?': keys.help
		};
		if (e.key === 'Escape') {
			if (keys.escape()) e.preventDefault();
			return;
		}
		const run = action[e.key];
		if (!run) return;
		e.preventDefault();
		e.stopPropagation();
		run();
	};
	document.addEventListener('keydown', onkeydown);
	return () => document.removeEventListener('keydown', onkeydown);
}
