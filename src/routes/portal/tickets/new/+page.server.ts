import { fail, redirect } from '@sveltejs/kit';
import { callerFor } from '$lib/server/http/context';
import { requesterFormConfig } from '$lib/server/tickets/public';
import {
	customFieldValues,
	formFailure,
	storeFormFiles
} from '$lib/server/tickets/requester-forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => requesterFormConfig();

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const text = (k: string) => String(form.get(k) ?? '');
		const { fields } = await requesterFormConfig();
		const values = {
			subject: text('subject'),
			description: text('description'),
			typeId: text('typeId') || null,
			customFields: customFieldValues(form, fields)
		};
		let number: number;
		try {
			const inline = await storeFormFiles(form, { userId: event.locals.user!.id });
			({ number } = await callerFor(event).portal.create({
				...values,
				attachmentIds: [...form.getAll('attachmentIds').map(String), ...inline.map((f) => f.id)]
			}));
		} catch (err) {
			const f = formFailure(err);
			if (!f) throw err;
			return fail(f.status, { values, fields: f.fields, message: f.message });
		}
		redirect(303, `/portal/tickets/${number}?created=1`);
	}
};
