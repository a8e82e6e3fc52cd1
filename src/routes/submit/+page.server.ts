import { fail } from '@sveltejs/kit';
import { homeFor } from '$lib/permissions';
import { clientIp } from '$lib/server/http/context';
import {
	formStamp,
	requesterFormConfig,
	submitPublicTicket,
	type PublicSubmitInput
} from '$lib/server/tickets/public';
import {
	customFieldValues,
	formFailure,
	storeFormFiles,
	uploadedAttachments
} from '$lib/server/tickets/requester-forms';
import type { Actions, PageServerLoad } from './$types';

/**
 * Text fields and attachment references (files are uploaded ahead to /submit/attachments);
 * without JavaScript, small files may come inside the form.
 */
const MAX_BODY_BYTES = 512 * 1024;

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	return {
		...(await requesterFormConfig()),
		stamp: await formStamp(),
		homeHref: locals.user ? homeFor(locals.user.role) : null,
		signedIn: locals.user ? { name: locals.user.name, email: locals.user.email } : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const length = Number(event.request.headers.get('content-length') ?? 0);
		if (length > MAX_BODY_BYTES) {
			const fields: Record<string, string[] | undefined> = {};
			return fail(413, {
				values: null,
				fields,
				message:
					'This request is too large to send at once. Shorten the description or attach smaller files.'
			});
		}
		const form = await event.request.formData();
		const text = (k: string) => String(form.get(k) ?? '');
		const config = await requesterFormConfig();
		const input: PublicSubmitInput = {
			name: text('name'),
			email: text('email'),
			subject: text('subject'),
			description: text('description'),
			typeId: text('typeId'),
			customFields: customFieldValues(form, config.fields),
			attachments: uploadedAttachments(form, 'attachments'),
			website: text('website'),
			stamp: text('stamp')
		};
		const values = {
			name: input.name,
			email: input.email,
			subject: input.subject,
			description: input.description,
			typeId: input.typeId,
			customFields: input.customFields
		};
		try {
			const inline = await storeFormFiles(form, { userId: null, ticketToken: null });
			input.attachments = [...(input.attachments ?? []), ...inline];
			const result = await submitPublicTicket(input, { ip: clientIp(event) });
			return {
				done: result.created
					? { number: result.number, url: new URL(result.link, event.url.origin).href }
					: { number: null, url: null }
			};
		} catch (err) {
			const f = formFailure(err);
			if (!f) throw err;
			const retryAfter = (err as { retryAfterSeconds?: number }).retryAfterSeconds;
			if (retryAfter) event.setHeaders({ 'retry-after': String(retryAfter) });
			return fail(f.status, {
				values,
				fields: f.fields,
				message: f.status === 400 ? (f.fields._form?.[0] ?? f.message) : f.message
			});
		}
	}
};
