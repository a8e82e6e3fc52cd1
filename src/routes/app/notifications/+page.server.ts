import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:notifications');
	return { notifications: await callerFor(event).notifications.list() };
};
