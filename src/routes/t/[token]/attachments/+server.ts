import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';
import { clientIp } from '$lib/server/http/context';
import { ticketIdByToken } from '$lib/server/tickets/access';
import { PRIVATE_LINK_HEADERS, uploadResponse } from '$lib/server/tickets/attachments-http';
import { consumeLinkUpload } from '$lib/server/tickets/link-limits';

export const _permissions = { POST: 'public' } satisfies EndpointPermissions;

/**
 * Uploads a file for a reply through the private link. The answer carries a claim bound to this
 * ticket; the reply form sends it back with the id. Limited per address and per link (429 with
 * Retry-After past either).
 */
export const POST = endpoint(_permissions.POST, async (event) => {
	const ticketId = await ticketIdByToken(event.params.token ?? '');
	await consumeLinkUpload(ticketId, clientIp(event));
	const res = await uploadResponse(event.request, { userId: null, ticketToken: ticketId });
	for (const [k, v] of Object.entries(PRIVATE_LINK_HEADERS)) res.headers.set(k, v);
	return res;
});
