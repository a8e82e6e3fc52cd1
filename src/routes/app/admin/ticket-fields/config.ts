import { invalidate } from '$app/navigation';
import { toast } from '$lib/components/ui';
import { errorMessage, trpc } from '$lib/trpc/client';
import type { PageData } from './$types';

export type Entity = 'type' | 'category' | 'field';
export type TypeRow = PageData['config']['types'][number];
export type CategoryRow = PageData['config']['categories'][number];
export type FieldRow = PageData['config']['fields'][number];

export const KIND_LABELS: Record<FieldRow['kind'], string> = {
	TEXT: 'Short text',
	LONG_TEXT: 'Long text',
	NUMBER: 'Number',
	DATE: 'Date',
	SELECT: 'Choice',
	MULTI_SELECT: 'Multiple choice',
	CHECKBOX: 'Checkbox'
};

export const refresh = () => invalidate('app:ticket-config');

/** Reports a saved change and reloads the lists. */
export async function saved(message: string): Promise<void> {
	toast.success(message);
	await refresh();
}

/** Runs a change, reports it as a toast and reloads the lists. */
export async function run(task: () => Promise<unknown>, done: string): Promise<boolean> {
	try {
		await task();
		await saved(done);
		return true;
	} catch (err) {
		toast.error(errorMessage(err));
		return false;
	}
}

/** `ids` with the item at `index` moved one step up (-1) or down (+1). */
export function moveIds(ids: string[], index: number, dir: -1 | 1): string[] {
	const next = [...ids];
	const target = index + dir;
	if (target < 0 || target >= next.length) return next;
	[next[index], next[target]] = [next[target]!, next[index]!];
	return next;
}

export const reorder = (entity: Entity, ids: string[]) =>
	run(() => trpc().ticketConfig.reorder.mutate({ entity, ids }), 'Order saved.');

export const setActive = (entity: Entity, id: string, name: string, active: boolean) =>
	run(
		() => trpc().ticketConfig.setActive.mutate({ entity, id, active }),
		active ? `“${name}” is active again.` : `“${name}” is hidden from new tickets.`
	);

export async function remove(entity: Entity, id: string, name: string): Promise<boolean> {
	try {
		const result = await trpc().ticketConfig.delete.mutate({ entity, id });
		await saved(
			result.deleted
				? `“${name}” was deleted.`
				: `“${name}” is in use, so it was deactivated instead.`
		);
		return true;
	} catch (err) {
		toast.error(errorMessage(err));
		return false;
	}
}

export type CategoryNode = CategoryRow & { depth: number; path: string; siblings: string[] };

/** All categories (active or not) in tree order, with depth, path and their siblings' ids. */
export function categoryTree(rows: CategoryRow[]): CategoryNode[] {
	const byParent = new Map<string | null, CategoryRow[]>();
	for (const r of rows) byParent.set(r.parentId, [...(byParent.get(r.parentId) ?? []), r]);
	const out: CategoryNode[] = [];
	const walk = (parentId: string | null, depth: number, prefix: string) => {
		const kids = byParent.get(parentId) ?? [];
		const siblings = kids.map((k) => k.id);
		for (const r of kids) {
			const path = prefix ? `${prefix} › ${r.name}` : r.name;
			out.push({ ...r, depth, path, siblings });
			if (depth < 50) walk(r.id, depth + 1, path);
		}
	};
	walk(null, 0, '');
	return out;
}

/** A category and everything below it (not allowed as its new parent). */
export function subtreeIds(rows: CategoryRow[], id: string): Set<string> {
	const ids = new Set([id]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const r of rows) {
			if (r.parentId && ids.has(r.parentId) && !ids.has(r.id)) {
				ids.add(r.id);
				grew = true;
			}
		}
	}
	return ids;
}
