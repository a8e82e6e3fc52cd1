import { endpoint, errorResponse, type EndpointPermissions } from '$lib/server/http/rest';
import { rawInbound } from '$lib/server/mail/failed';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const _permissions = { GET: 'settings.manage' } satisfies EndpointPermissions;

/** Admin → Mail → Failed mail: the message exactly as it arrived, as an .eml download. */
export const GET = endpoint(_permissions.GET, async (event) => {
	const id = event.params.id ?? '';
	if (!UUID.test(id)) return errorResponse(404, 'NOT_FOUND', 'Message not found.');
	const { raw, filename } = await rawInbound(id);
	return new Response(new Uint8Array(raw), {
		headers: {
			'content-type': 'message/rfc822',
			'content-disposition': `attachment; filename="${filename}"`,
			'content-length': String(raw.length),
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
});
