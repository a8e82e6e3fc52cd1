import { trpc } from '$lib/trpc/client';
import type { TicketList } from './list.svelte';

/**
 * Live updates for the list: events are gathered for a moment, then rows on screen are fetched
 * again in place, and tickets not on screen are checked against the list's filters (they wait
 * behind the "new tickets" pill).
 */
export function followTickets(list: TicketList, onflush?: () => void): () => void {
	const changed = new Set<string>();
	const candidates = new Set<string>();
	let timer: ReturnType<typeof setTimeout> | undefined;

	const flush = () => {
		const ids = [...changed];
		const maybe = new Set(candidates);
		changed.clear();
		candidates.clear();
		if (ids.length) list.refresh(ids).catch(() => undefined);
		if (maybe.size) list.checkNew(maybe).catch(() => undefined);
		onflush?.();
	};

	const sub = trpc().tickets.changes.subscribe(undefined, {
		onData: (e) => {
			if (e.type === 'presence') return;
			if (list.items.some((r) => r.id === e.ticketId)) changed.add(e.ticketId);
			else candidates.add(e.ticketId);
			clearTimeout(timer);
			timer = setTimeout(flush, 400);
		}
	});
	return () => {
		clearTimeout(timer);
		sub.unsubscribe();
	};
}
