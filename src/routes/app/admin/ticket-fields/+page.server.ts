import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:ticket-config');
	return { config: await callerFor(event).ticketConfig.list() };
};
