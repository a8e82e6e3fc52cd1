import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const caller = callerFor(event);
	const [portal, tickets] = await Promise.all([
		caller.me.portal(),
		caller.portal.myTickets({ tab: 'open', limit: 5 })
	]);
	return { portal, tickets };
};
