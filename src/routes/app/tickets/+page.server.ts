import { error } from '@sveltejs/kit';
import { callerFor } from '$lib/server/http/context';
import { ticketListSchema } from '$lib/server/tickets/schemas';
import { FILTER_PARAMS, filtersFromParams, PAGE_SIZE, type ListFilters } from './url';
import type { PageServerLoad } from './$types';

/**
 * The agent ticket list, server-rendered: the filters come from the URL (so every list is a
 * link); `?view=<id>` alone opens a view with its own filters. The page fetches the counts
 * after the rows have painted.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('app:tickets');
	const sp = event.url.searchParams;
	const caller = callerFor(event);
	const views = await caller.savedViews.list();
	const viewId = sp.get('view');
	let raw: ListFilters = filtersFromParams(sp);
	if (viewId && !FILTER_PARAMS.some((k) => sp.has(k))) {
		const view = [...views.builtIn, ...views.views].find((v) => v.id === viewId);
		if (view) raw = view.filters as ListFilters;
	}
	const parsed = ticketListSchema.safeParse({ ...raw, limit: PAGE_SIZE });
	if (!parsed.success) error(400, 'Those filters are not valid. Clear them and try again.');
	const filters: ListFilters = { ...parsed.data };
	delete (filters as { limit?: number }).limit;

	const [page, groups, agents, config, requester] = await Promise.all([
		caller.tickets.list(parsed.data),
		caller.groups.list(),
		caller.users.list({ staff: true, active: true, pageSize: 100 }),
		caller.ticketConfig.active(),
		filters.requester
			? caller.users.get({ id: filters.requester }).catch(() => null)
			: Promise.resolve(null)
	]);
	return {
		page,
		filters,
		viewId,
		views,
		groups: groups.map((g) => ({ id: g.id, name: g.name })),
		types: config.types.map((t) => ({ id: t.id, name: t.name })),
		categories: config.categories.map((c) => ({ id: c.id, path: c.path })),
		agents: agents.items.map((a) => ({ id: a.id, name: a.name, email: a.email })),
		requester: requester ? { id: requester.id, name: requester.name } : null
	};
};
