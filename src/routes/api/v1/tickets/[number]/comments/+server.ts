import { json } from '@sveltejs/kit';
import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';
import { restAddComment, restListComments, scopeOfUser } from '$lib/server/tickets/rest';
import { readJsonBody } from '$lib/server/tickets/rest-body';
import { rateLimited } from '$lib/server/tickets/rest-limit';

export const _permissions = {
	GET: 'ticket.read',
	POST: 'ticket.reply'
} satisfies EndpointPermissions;

/** The conversation, oldest first: public replies, and internal notes for staff keys. */
export const GET = endpoint(
	_permissions.GET,
	rateLimited(async (event, user) => {
		const scope = await scopeOfUser(user);
		return json(await restListComments(scope, event.params.number));
	})
);

/** A public reply, or an internal note (`internal: true`, staff keys). */
export const POST = endpoint(
	_permissions.POST,
	rateLimited(async (event, user) => {
		const body = await readJsonBody(event.request);
		const scope = await scopeOfUser(user);
		const comment = await restAddComment(scope, event.params.number, body);
		return json(comment, { status: 201 });
	})
);
