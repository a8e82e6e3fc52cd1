import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';
import { clientIp } from '$lib/server/http/context';
import { consumeAnonymousUpload, uploadResponse } from '$lib/server/tickets/attachments-http';

export const _permissions = { POST: 'public' } satisfies EndpointPermissions;

/**
 * Uploads a file for the public form before its ticket exists. The answer carries a signed claim;
 * the form sends `attachments` (id) and `attachmentsClaims` (claim) with the ticket.
 */
export const POST = endpoint(_permissions.POST, async (event) => {
	await consumeAnonymousUpload(clientIp(event));
	return uploadResponse(event.request, { userId: null, ticketToken: null });
});
