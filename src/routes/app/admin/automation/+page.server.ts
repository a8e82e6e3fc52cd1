import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:automation');
	return { rules: await callerFor(event).automation.list() };
};
