import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:user');
	const caller = callerFor(event);
	try {
		const [user, groups, activity] = await Promise.all([
			caller.users.get({ id: event.params.id }),
			caller.groups.list(),
			caller.audit.list({ entityId: event.params.id, limit: 10 })
		]);
		return {
			profile: user,
			groups: groups.map((g) => ({ id: g.id, name: g.name })),
			activity: activity.items
		};
	} catch (err) {
		if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST'))
			error(404, 'User not found');
		throw err;
	}
};
