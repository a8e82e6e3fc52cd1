import { json } from '@sveltejs/kit';
import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';
import { restGetTicket, restUpdateTicket, scopeOfUser } from '$lib/server/tickets/rest';
import { etag, ifMatchVersion, readJsonBody } from '$lib/server/tickets/rest-body';
import { rateLimited } from '$lib/server/tickets/rest-limit';

export const _permissions = {
	GET: 'ticket.read',
	PATCH: 'ticket.update'
} satisfies EndpointPermissions;

/** One ticket with its conversation (internal notes only for staff keys). */
export const GET = endpoint(
	_permissions.GET,
	rateLimited(async (event, user) => {
		const scope = await scopeOfUser(user);
		const ticket = await restGetTicket(scope, event.params.number, event.url.origin);
		return json(ticket, { headers: { etag: etag(ticket.version) } });
	})
);

/** Changes properties (staff keys); If-Match: "<version>" refuses to overwrite newer changes. */
export const PATCH = endpoint(
	_permissions.PATCH,
	rateLimited(async (event, user) => {
		const ifMatch = ifMatchVersion(event.request.headers);
		const body = await readJsonBody(event.request);
		const scope = await scopeOfUser(user);
		const ticket = await restUpdateTicket(scope, event.params.number, body, {
			origin: event.url.origin,
			ifMatch
		});
		return json(ticket, { headers: { etag: etag(ticket.version) } });
	})
);
