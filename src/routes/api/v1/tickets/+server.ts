import { json } from '@sveltejs/kit';
import { clientIp } from '$lib/server/http/context';
import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';
import { restCreateTicket, restListTickets, scopeOfUser } from '$lib/server/tickets/rest';
import { etag, idempotencyKeyOf, readJsonBody } from '$lib/server/tickets/rest-body';
import { rateLimited } from '$lib/server/tickets/rest-limit';

export const _permissions = {
	GET: 'ticket.read',
	POST: 'ticket.create'
} satisfies EndpointPermissions;

/** The tickets the key's user may see, filtered and sorted, one keyset page at a time. */
export const GET = endpoint(
	_permissions.GET,
	rateLimited(async (event, user) => {
		const scope = await scopeOfUser(user);
		const page = await restListTickets(scope, event.url.searchParams, event.url.origin);
		const headers = new Headers();
		if (page.next_cursor) {
			const next = new URL(event.url);
			next.searchParams.set('cursor', page.next_cursor);
			headers.set('link', `<${next.href}>; rel="next"`);
		}
		return json(page, { headers });
	})
);

/** Opens a ticket; an Idempotency-Key makes retries return the first ticket instead of a second. */
export const POST = endpoint(
	_permissions.POST,
	rateLimited(async (event, user) => {
		const idempotencyKey = idempotencyKeyOf(event.request.headers);
		const body = await readJsonBody(event.request);
		const { ticket, replayed } = await restCreateTicket(user, body, {
			origin: event.url.origin,
			idempotencyKey,
			ip: clientIp(event)
		});
		return json(ticket, {
			status: replayed ? 200 : 201,
			headers: {
				location: `${event.url.origin}/api/v1/tickets/${ticket.number}`,
				etag: etag(ticket.version),
				...(replayed ? { 'idempotent-replayed': 'true' } : {})
			}
		});
	})
);
