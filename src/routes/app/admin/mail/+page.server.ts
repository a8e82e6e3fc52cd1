import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.depends('app:mail');
	const mail = callerFor(event).mail;
	const [accounts, listener, templates, failed] = await Promise.all([
		mail.accounts.list(),
		mail.listener.get(),
		mail.templates.list(),
		mail.inbound.list({ status: 'FAILED' })
	]);
	return { accounts, listener, templates, failed };
};
