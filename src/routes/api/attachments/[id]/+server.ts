import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';
import { scopeFor } from '$lib/server/tickets/access';
import { openAttachment } from '$lib/server/tickets/attachments';
import { downloadResponse } from '$lib/server/tickets/attachments-http';

export const _permissions = { GET: 'ticket.read' } satisfies EndpointPermissions;

/** Downloads a file of a ticket the caller may see (or their own unsent upload); else 404. */
export const GET = endpoint(_permissions.GET, async (event, user) => {
	const file = await openAttachment({ scope: await scopeFor(user!) }, event.params.id ?? '');
	return downloadResponse(file, event.request);
});
