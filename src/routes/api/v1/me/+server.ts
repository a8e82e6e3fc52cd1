import { json } from '@sveltejs/kit';
import { getUser } from '$lib/server/identity/users';
import { endpoint, type EndpointPermissions } from '$lib/server/http/rest';

export const _permissions = { GET: 'profile.read' } satisfies EndpointPermissions;

/** Who the API key (or session) acts as: scripts call this to check their key. */
export const GET = endpoint(_permissions.GET, async (_event, user) => {
	const me = await getUser(user!.id);
	return json({
		id: me.id,
		email: me.email,
		name: me.name,
		role: me.role.toLowerCase(),
		title: me.title,
		department: me.department,
		groups: me.groups
	});
});
