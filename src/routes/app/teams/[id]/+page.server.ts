import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { can } from '$lib/permissions';
import { callerFor } from '$lib/server/http/context';
import { listStaff } from '../staff.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:team');
	const caller = callerFor(event);
	const canManage = can(event.locals.user?.role, 'group.manage');
	try {
		const [team, staff] = await Promise.all([
			caller.groups.get({ id: event.params.id }),
			canManage ? listStaff(caller) : Promise.resolve([])
		]);
		return { team, staff };
	} catch (err) {
		if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) {
			error(404, 'Team not found');
		}
		throw err;
	}
};
