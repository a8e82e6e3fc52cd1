import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:sla');
	return { policies: await callerFor(event).sla.policies.list() };
};
