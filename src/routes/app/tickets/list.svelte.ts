import { SvelteSet } from 'svelte/reactivity';
import { toast } from '$lib/components/ui';
import { errorMessage, trpc } from '$lib/trpc/client';
import { PAGE_SIZE, type ListFilters, type Priority, type Status } from './url';

/** One list row as `tickets.list` returns it; `version` when known (rows fetched by id). */
export interface Row {
	id: string;
	number: number;
	subject: string;
	status: Status;
	priority: Priority;
	tags: string[];
	createdAt: Date;
	updatedAt: Date;
	requester: { id: string; name: string; email: string };
	assignee: { id: string; name: string } | null;
	group: { id: string; name: string } | null;
	type: { id: string; name: string } | null;
	mergedInto: { number: number } | null;
	/** SLA: the policy and its instants (null without a policy). */
	slaPolicy?: { id: string; name: string } | null;
	firstResponseAt?: Date | null;
	resolvedAt?: Date | null;
	firstResponseDueAt?: Date | null;
	resolutionDueAt?: Date | null;
	slaAtRiskAt?: Date | null;
	version?: number;
}

export interface InlinePatch {
	status?: Status;
	priority?: Priority;
	assignee?: { id: string; name: string } | null;
}

export interface BulkPatch {
	assigneeId?: string | null;
	groupId?: string | null;
	status?: Status;
	priority?: Priority;
	addTags?: string[];
	removeTags?: string[];
}

/**
 * The ticket list in the browser: the server-rendered first page, "Load more" pages (keyset
 * cursor), the selection (with shift-click ranges), the keyboard cursor, in-place edits
 * (optimistic, rolled back on error) and live updates (changed rows refresh in place; new
 * tickets wait behind a "show" pill so nothing moves under the reader).
 */
export class TicketList {
	items = $state<Row[]>([]);
	nextCursor = $state<string | null>(null);
	loading = $state(false);
	/** A bulk change is running. */
	busy = $state(false);
	selected = new SvelteSet<string>();
	/** Row index of the keyboard cursor (−1: none yet). */
	cursor = $state(-1);
	/** New (or newly matching) tickets not shown yet. */
	pending = $state<Row[]>([]);
	#anchor: number | null = null;
	#filters: ListFilters = {};

	reset(items: Row[], nextCursor: string | null, filters: ListFilters) {
		this.items = items;
		this.nextCursor = nextCursor;
		this.#filters = filters;
		this.pending = [];
		this.cursor = Math.min(this.cursor, items.length - 1);
		for (const id of this.selected) if (!items.some((r) => r.id === id)) this.selected.delete(id);
	}

	async loadMore() {
		if (!this.nextCursor || this.loading) return;
		this.loading = true;
		try {
			const more = await trpc().tickets.list.query({
				...this.#filters,
				cursor: this.nextCursor,
				limit: PAGE_SIZE
			});
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway lookup, not state
			const known = new Set(this.items.map((r) => r.id));
			this.items = [...this.items, ...(more.items as Row[]).filter((r) => !known.has(r.id))];
			this.nextCursor = more.nextCursor;
		} catch (err) {
			toast.error(`Could not load more tickets. ${errorMessage(err)}`);
		} finally {
			this.loading = false;
		}
	}

	/** Click on a row's checkbox; with Shift, everything from the last clicked row too. */
	toggle(index: number, range: boolean) {
		const row = this.items[index];
		if (!row) return;
		const on = !this.selected.has(row.id);
		if (range && this.#anchor !== null) {
			const [from, to] = [Math.min(this.#anchor, index), Math.max(this.#anchor, index)];
			for (const r of this.items.slice(from, to + 1)) {
				if (on) this.selected.add(r.id);
				else this.selected.delete(r.id);
			}
		} else if (on) this.selected.add(row.id);
		else this.selected.delete(row.id);
		this.#anchor = index;
	}

	toggleAll() {
		if (this.items.every((r) => this.selected.has(r.id))) this.selected.clear();
		else for (const r of this.items) this.selected.add(r.id);
	}

	clearSelection() {
		this.selected.clear();
		this.#anchor = null;
	}

	/** An in-place edit: shown at once, saved with the version read, undone if refused. */
	async edit(row: Row, patch: InlinePatch) {
		const before = { status: row.status, priority: row.priority, assignee: row.assignee };
		this.#replace(row.id, patch);
		try {
			const saved = await trpc().tickets.update.mutate({
				ticket: row.id,
				version: row.version,
				status: patch.status,
				priority: patch.priority,
				assigneeId: patch.assignee === undefined ? undefined : (patch.assignee?.id ?? null)
			});
			this.#replace(row.id, {
				status: saved.status,
				priority: saved.priority,
				assignee: saved.assignee,
				group: saved.group,
				tags: saved.tags,
				updatedAt: saved.updatedAt,
				version: saved.version
			});
		} catch (err) {
			this.#replace(row.id, before);
			toast.error(`#${row.number} was not changed. ${errorMessage(err)}`, { duration: 8000 });
		}
	}

	#replace(id: string, patch: Partial<Row>) {
		this.items = this.items.map((r) => (r.id === id ? { ...r, ...patch } : r));
	}

	/** One change to every selected ticket; what was skipped (and why) is told in a toast. */
	async bulk(patch: BulkPatch, what: string) {
		const ids = [...this.selected];
		this.busy = true;
		try {
			const r = await trpc().ticketBulk.update.mutate({ ids, ...patch });
			const n = r.updated + r.unchanged;
			toast.success(`${what}: ${n} ${n === 1 ? 'ticket' : 'tickets'}.`);
			if (r.skipped.length) {
				const first = r.skipped
					.slice(0, 3)
					.map((s) => `${s.number ? `#${s.number}` : 'A ticket'}: ${s.reason}`)
					.join(' ');
				toast.error(`${r.skipped.length} skipped. ${first}`, { duration: 10_000 });
			}
			await this.refresh(ids);
		} catch (err) {
			toast.error(`Nothing was changed. ${errorMessage(err)}`);
		} finally {
			this.busy = false;
		}
	}

	/** Rows changed elsewhere: fetched again and replaced where they are. */
	async refresh(ids: string[]) {
		const shown = ids.filter((id) => this.items.some((r) => r.id === id));
		if (!shown.length) return;
		const rows = (await trpc().ticketBulk.rows.query({ ids: shown })) as Row[];
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway lookup, not state
		const byId = new Map(rows.map((r) => [r.id, r]));
		// A row that is no longer visible to us (moved to another team) leaves the list.
		this.items = this.items.flatMap((r) =>
			shown.includes(r.id) ? (byId.has(r.id) ? [byId.get(r.id)!] : []) : [r]
		);
	}

	/** Live: tickets created or changed that the list does not show; the first page tells which match. */
	async checkNew(candidates: Set<string>) {
		const first = await trpc().tickets.list.query({ ...this.#filters, limit: PAGE_SIZE });
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway lookup, not state
		const known = new Set([...this.items, ...this.pending].map((r) => r.id));
		const fresh = (first.items as Row[]).filter((r) => candidates.has(r.id) && !known.has(r.id));
		if (fresh.length) this.pending = [...fresh, ...this.pending];
	}

	/** Rows that left the list (merged away). */
	remove(ids: string[]) {
		this.items = this.items.filter((r) => !ids.includes(r.id));
		for (const id of ids) this.selected.delete(id);
	}

	showPending() {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway lookup, not state
		const ids = new Set(this.pending.map((r) => r.id));
		this.items = [...this.pending, ...this.items.filter((r) => !ids.has(r.id))];
		if (this.cursor >= 0) this.cursor += this.pending.length;
		this.pending = [];
	}
}
