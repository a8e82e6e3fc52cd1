import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	overview: await callerFor(event).me.overview()
});
