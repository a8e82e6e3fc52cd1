import { callerFor } from '$lib/server/http/context';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => ({
	unreadCount: await callerFor(event).notifications.unreadCount()
});
