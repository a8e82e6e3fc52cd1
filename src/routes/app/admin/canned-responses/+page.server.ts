import { can } from '$lib/permissions';
import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:canned-responses');
	return {
		responses: await callerFor(event).cannedResponses.list({}),
		canShare: can(event.locals.user?.role, 'cannedResponse.manageShared')
	};
};
