import { fieldLabel, priorityName, statusName, type Names } from './history';
import type { Prop } from './ticket-state.svelte';

export const SOURCE_LABEL: Record<string, string> = {
	EMAIL: ' by email',
	PORTAL: ' in the portal',
	FORM: ' through the web form',
	API: ' through the API',
	CHAT: ' in chat',
	AGENT: ''
};

/** "Priority: High" for each value the agent set that is not saved yet. */
export function describePending(pending: Partial<Record<Prop, unknown>>, names: Names): string[] {
	return Object.entries(pending).map(([prop, v]) => {
		const field = prop.startsWith('cf:') ? prop.slice(3) : prop.replace(/Id$/, '');
		const label = prop.startsWith('cf:') ? (names.fields.get(field) ?? field) : fieldLabel(field);
		const id = typeof v === 'string' ? v : '';
		const value =
			v === null || v === undefined || v === ''
				? 'none'
				: prop === 'status'
					? statusName(id)
					: prop === 'priority'
						? priorityName(id)
						: prop === 'assigneeId'
							? (names.people.get(id) ?? id)
							: prop === 'groupId'
								? (names.groups.get(id) ?? id)
								: prop === 'typeId'
									? (names.types.get(id) ?? id)
									: prop === 'categoryId'
										? (names.categories.get(id) ?? id)
										: Array.isArray(v)
											? v.join(', ') || 'none'
											: excerpt(String(v));
		return `${label}: ${value}`;
	});
}

/** A long text (a description) on one short line. */
function excerpt(text: string, max = 60): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export type PageAction = 'reply' | 'note' | 'assign' | 'help';

/** The page's single-key shortcuts, ignored while typing or while a dialog is open. */
export function pageShortcut(e: KeyboardEvent): PageAction | null {
	if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return null;
	const target = e.target as HTMLElement | null;
	if (target?.closest('input, textarea, select, [contenteditable="true"], [role="menu"]'))
		return null;
	if (document.querySelector('dialog[open], [role="dialog"]:popover-open')) return null;
	switch (e.key) {
		case 'r':
			return 'reply';
		case 'n':
			return 'note';
		case 'a':
			return 'assign';
		case '?':
			return 'help';
		default:
			return null;
	}
}
