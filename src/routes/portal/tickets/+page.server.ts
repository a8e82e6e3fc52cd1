import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const params = event.url.searchParams;
	const tab = params.get('tab') === 'resolved' ? 'resolved' : 'open';
	const q = params.get('q')?.trim().slice(0, 200) || undefined;
	const cursor = params.get('cursor')?.slice(0, 200) || undefined;
	const page = await callerFor(event).portal.myTickets({ tab, q, cursor });
	return { tab, q: q ?? '', cursor: cursor ?? null, ...page };
};
