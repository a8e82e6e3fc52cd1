import { error } from '@sveltejs/kit';
import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:sla');
	const api = callerFor(event).sla.policies;
	const [policies, options] = await Promise.all([api.list(), api.options()]);
	const id = event.params.id;
	const policy = id === 'new' ? null : (policies.find((p) => p.id === id) ?? null);
	if (id !== 'new' && !policy) error(404, 'That SLA policy does not exist.');
	return { policy, options, isFirst: policies.length === 0 };
};
