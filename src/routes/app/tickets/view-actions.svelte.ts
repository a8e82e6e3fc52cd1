import { invalidate } from '$app/navigation';
import { toast } from '$lib/components/ui';
import { errorMessage, trpc } from '$lib/trpc/client';
import type { ListFilters } from './url';

/** Saved-view changes from the views panel; the page reloads its views afterwards. */
async function run(action: () => Promise<unknown>, done: string) {
	try {
		await action();
		await invalidate('app:tickets');
		toast.success(done);
	} catch (err) {
		toast.error(errorMessage(err));
	}
}

/** Deleted at once, with an Undo that saves it again. */
export async function deleteView(v: {
	id: string;
	name: string;
	filters: ListFilters;
	shared?: boolean;
}) {
	try {
		await trpc().savedViews.delete.mutate({ id: v.id });
		await invalidate('app:tickets');
		toast.success(`Deleted “${v.name}”.`, {
			action: {
				label: 'Undo',
				onclick: () => {
					trpc()
						.savedViews.create.mutate({ name: v.name, filters: v.filters, shared: v.shared })
						.then(() => invalidate('app:tickets'))
						.catch((err) => toast.error(errorMessage(err)));
				}
			}
		});
	} catch (err) {
		toast.error(errorMessage(err));
	}
}

export const saveFiltersInto = (v: { id: string; name: string }, filters: ListFilters) =>
	run(
		() => trpc().savedViews.update.mutate({ id: v.id, filters: { ...filters } }),
		`Saved the filters in “${v.name}”.`
	);

/** One step up or down among the views the caller may arrange. */
export function moveView(views: { id: string; editable: boolean }[], id: string, by: -1 | 1) {
	const ids = views.filter((x) => x.editable).map((x) => x.id);
	const i = ids.indexOf(id);
	if (i < 0 || !ids[i + by]) return;
	[ids[i], ids[i + by]] = [ids[i + by]!, ids[i]!];
	void run(() => trpc().savedViews.reorder.mutate({ ids }), 'View moved.');
}

/** The total for the list's filters and a count per view: fetched after the rows paint. */
export class ListCounts {
	total = $state<{ count: number; capped: boolean } | null>(null);
	views = $state<Record<string, { count: number; capped: boolean }>>({});

	/** Returns a canceller for answers that arrive after the filters changed again. */
	load(filters: ListFilters): () => void {
		let stale = false;
		trpc()
			.tickets.count.query({ ...filters })
			.then((t) => !stale && (this.total = t))
			.catch(() => (this.total = null));
		return () => (stale = true);
	}

	loadViews(): () => void {
		let stale = false;
		trpc()
			.savedViews.counts.query()
			.then((c) => !stale && (this.views = c))
			.catch(() => undefined);
		return () => (stale = true);
	}
}
