import { error } from '@sveltejs/kit';
import { listAuditSchema } from '$lib/server/audit-log';
import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:audit');
	const sp = event.url.searchParams;
	const filters = {
		action: sp.get('action')?.trim() ?? '',
		actor: sp.get('actor') ?? '',
		entity: sp.get('entity') ?? ''
	};
	const parsed = listAuditSchema.safeParse({
		action: filters.action || undefined,
		actorId: filters.actor || undefined,
		entityId: filters.entity || undefined,
		cursor: sp.get('cursor') || undefined,
		limit: 50
	});
	if (!parsed.success) error(400, 'Those filters are not valid. Clear them and try again.');
	const log = await callerFor(event).audit.list(parsed.data);
	return { log, filters, query: parsed.data, fromCursor: !!parsed.data.cursor };
};
