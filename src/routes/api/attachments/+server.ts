import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';
import { uploadResponse } from '$lib/server/tickets/attachments-http';

export const _permissions = { POST: 'ticket.reply' } satisfies EndpointPermissions;

/**
 * Uploads one file (the raw request body; its name URI-encoded in X-Filename). The answer's id is
 * sent with the ticket or message it belongs to; unsent uploads are deleted after a while.
 */
export const POST = endpoint(_permissions.POST, (event, user) =>
	uploadResponse(event.request, { userId: user!.id })
);
