import { can } from '$lib/permissions';
import { callerFor } from '$lib/server/http/context';
import { listStaff } from './staff.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:teams');
	const caller = callerFor(event);
	const canManage = can(event.locals.user?.role, 'group.manage');
	const [teams, staff] = await Promise.all([
		caller.groups.list(),
		canManage ? listStaff(caller) : Promise.resolve([])
	]);
	return { teams, staff };
};
