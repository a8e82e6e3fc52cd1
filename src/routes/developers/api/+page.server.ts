import { MAX_BODY_BYTES } from '$lib/server/tickets/rest-body';
import { REST_RATE_LIMIT } from '$lib/server/tickets/rest-limit';
import { openApiDocument } from '$lib/server/tickets/openapi';
import { docsModel } from './model';
import type { PageServerLoad } from './$types';

/** Public: the API reference, rendered on the server from the same document tools import. */
export const load: PageServerLoad = ({ url }) => ({
	docs: docsModel(openApiDocument(url.origin)),
	specUrl: `${url.origin}/api/v1/openapi.json`,
	limits: { perMinute: REST_RATE_LIMIT, bodyBytes: MAX_BODY_BYTES }
});
