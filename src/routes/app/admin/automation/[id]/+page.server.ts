import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
	event.depends('app:automation');
	const api = callerFor(event).automation;
	const id = event.params.id;
	if (id !== 'new' && !UUID.test(id)) error(404, 'That rule does not exist.');
	const [options, found] = await Promise.all([
		api.options(),
		id === 'new'
			? null
			: api.get({ id }).catch((err: unknown) => {
					if (err instanceof TRPCError && err.code === 'NOT_FOUND') return null;
					throw err;
				})
	]);
	if (id !== 'new' && !found) error(404, 'That rule does not exist.');
	return { options, found };
};
