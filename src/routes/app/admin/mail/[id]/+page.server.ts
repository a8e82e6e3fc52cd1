import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
	event.depends('app:mail');
	const api = callerFor(event);
	const id = event.params.id;
	if (id !== 'new' && !UUID.test(id)) error(404, 'That mail account does not exist.');
	const [account, groups, config, listener] = await Promise.all([
		id === 'new'
			? null
			: api.mail.accounts.get({ id }).catch((err: unknown) => {
					if (err instanceof TRPCError && err.code === 'NOT_FOUND') return null;
					throw err;
				}),
		api.groups.list(),
		api.ticketConfig.list(),
		api.mail.listener.get()
	]);
	if (id !== 'new' && !account) error(404, 'That mail account does not exist.');
	return {
		account,
		groups: groups.map((g) => ({ value: g.id, label: g.name })),
		types: config.types
			.filter((t) => t.active || t.id === account?.typeId)
			.map((t) => ({ value: t.id, label: t.name })),
		listener
	};
};
