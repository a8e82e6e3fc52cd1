import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';
import { openAttachment } from '$lib/server/tickets/attachments';
import { downloadResponse, PRIVATE_LINK_HEADERS } from '$lib/server/tickets/attachments-http';

export const _permissions = { GET: 'public' } satisfies EndpointPermissions;

/** Downloads a file of the link's ticket (never one of an internal note); else 404. */
export const GET = endpoint(_permissions.GET, async (event) => {
	const file = await openAttachment(
		{ ticketToken: event.params.token ?? '' },
		event.params.id ?? ''
	);
	return downloadResponse(file, event.request, PRIVATE_LINK_HEADERS);
});
