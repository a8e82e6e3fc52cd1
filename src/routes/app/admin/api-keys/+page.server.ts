import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:api-keys');
	return { keys: await callerFor(event).apiKeys.list() };
};
