import { error, fail } from '@sveltejs/kit';
import { callerFor } from '$lib/server/http/context';
import { formFailure, storeFormFiles } from '$lib/server/tickets/requester-forms';
import type { Actions, PageServerLoad } from './$types';

const ticketOf = (raw: string) => {
	if (!/^\d{1,9}$/.test(raw)) error(404, 'Ticket not found');
	return Number(raw);
};

/** A failed action, shown next to its form; unexpected errors bubble up. */
function failed(action: string, err: unknown, extra: Record<string, unknown> = {}) {
	const f = formFailure(err);
	if (!f) throw err;
	if (f.code === 'NOT_FOUND') error(404, 'Ticket not found');
	return fail(f.status, { action, message: f.message, fields: f.fields, ok: false, ...extra });
}

export const load: PageServerLoad = async (event) => {
	const ticket = ticketOf(event.params.number);
	try {
		return {
			ticket: await callerFor(event).portal.get({ ticket }),
			created: event.url.searchParams.has('created')
		};
	} catch (err) {
		if (formFailure(err)?.code === 'NOT_FOUND') error(404, 'Ticket not found');
		throw err;
	}
};

export const actions: Actions = {
	reply: async (event) => {
		const ticket = ticketOf(event.params.number);
		const form = await event.request.formData();
		const body = String(form.get('body') ?? '');
		try {
			const inline = await storeFormFiles(form, { userId: event.locals.user!.id });
			await callerFor(event).portal.reply({
				ticket,
				body,
				attachmentIds: [...form.getAll('attachmentIds').map(String), ...inline.map((f) => f.id)]
			});
		} catch (err) {
			return failed('reply', err, { body });
		}
		return { action: 'reply', ok: true };
	},
	reopen: async (event) => {
		try {
			await callerFor(event).portal.reopen({ ticket: ticketOf(event.params.number) });
		} catch (err) {
			return failed('reopen', err);
		}
		return { action: 'reopen', ok: true };
	},
	rate: async (event) => {
		const form = await event.request.formData();
		try {
			await callerFor(event).portal.rate({
				ticket: ticketOf(event.params.number),
				rating: Number(form.get('rating') ?? 0),
				comment: String(form.get('comment') ?? '')
			});
		} catch (err) {
			return failed('rate', err);
		}
		return { action: 'rate', ok: true };
	}
};
