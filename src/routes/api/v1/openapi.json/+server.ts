import { json } from '@sveltejs/kit';
import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';
import { openApiDocument } from '$lib/server/tickets/openapi';

export const _permissions = { GET: 'public' } satisfies EndpointPermissions;

/** The OpenAPI 3.1 description of /api/v1 (public: tools import it before having a key). */
export const GET = endpoint(_permissions.GET, (event) =>
	json(openApiDocument(event.url.origin), {
		headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }
	})
);
