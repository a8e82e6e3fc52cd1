import { error } from '@sveltejs/kit';
import { callerFor } from '$lib/server/http/context';
import { listUsersSchema } from '$lib/server/identity/schemas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:users');
	const sp = event.url.searchParams;
	const parsed = listUsersSchema.safeParse({
		search: sp.get('q') || undefined,
		role: sp.get('role') || undefined,
		active:
			sp.get('status') === 'active' ? true : sp.get('status') === 'inactive' ? false : undefined,
		page: Number(sp.get('page') ?? 1) || 1
	});
	if (!parsed.success) error(400, 'Those filters are not valid.');
	const caller = callerFor(event);
	const [users, groups] = await Promise.all([caller.users.list(parsed.data), caller.groups.list()]);
	return {
		users,
		groups: groups.map((g) => ({ id: g.id, name: g.name })),
		filters: { q: sp.get('q') ?? '', role: sp.get('role') ?? '', status: sp.get('status') ?? '' }
	};
};
