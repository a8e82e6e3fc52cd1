import { isStaff } from '$lib/permissions';
import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	profile: await callerFor(event).me.profile(),
	staff: isStaff(event.locals.user?.role)
});
