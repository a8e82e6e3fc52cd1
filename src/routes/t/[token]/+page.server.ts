import { error, fail } from '@sveltejs/kit';
import { clientIp } from '$lib/server/http/context';
import { rateByToken, reopenByToken, replyByToken, viewByToken } from '$lib/server/tickets/public';
import { formFailure, uploadedAttachments } from '$lib/server/tickets/requester-forms';
import { homeFor } from '$lib/permissions';
import type { Actions, PageServerLoad } from './$types';

/**
 * The requester's private ticket page. Whoever holds the link is treated as the requester, so the
 * link must not leak: no referrer to other sites, never indexed, never cached by proxies.
 * `same-origin` rather than `no-referrer`: with no-referrer browsers send `Origin: null` on form
 * posts, which SvelteKit's CSRF check refuses, so the page would not work without JavaScript.
 */
const NOT_FOUND =
	'This link does not lead to a ticket. Check that you copied the whole link from your confirmation or email.';

async function orNotFound<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (err) {
		if (formFailure(err)?.code === 'NOT_FOUND') error(404, NOT_FOUND);
		throw err;
	}
}

/** A failed action, shown next to its form; unexpected errors bubble up. */
function failed(action: string, err: unknown, extra: Record<string, unknown> = {}) {
	const f = formFailure(err);
	if (!f) throw err;
	if (f.code === 'NOT_FOUND') error(404, NOT_FOUND);
	return fail(f.status, { action, message: f.message, fields: f.fields, ok: false, ...extra });
}

export const load: PageServerLoad = async ({ params, setHeaders, locals }) => {
	setHeaders({
		'referrer-policy': 'same-origin',
		'x-robots-tag': 'noindex, nofollow',
		'cache-control': 'private, no-store'
	});
	const ticket = await orNotFound(viewByToken(params.token));
	return {
		ticket,
		token: params.token,
		homeHref: locals.user ? homeFor(locals.user.role) : null
	};
};

export const actions: Actions = {
	reply: async (event) => {
		const form = await event.request.formData();
		const body = String(form.get('body') ?? '');
		try {
			const attachments = uploadedAttachments(form, 'attachmentIds');
			await replyByToken(event.params.token, { body, attachments, form }, { ip: clientIp(event) });
		} catch (err) {
			const retryAfter = (err as { retryAfterSeconds?: number } | null)?.retryAfterSeconds;
			if (retryAfter) event.setHeaders({ 'retry-after': String(retryAfter) });
			return failed('reply', err, { body });
		}
		event.locals.log.info({ ip: clientIp(event) }, 'requester replied by private link');
		return { action: 'reply', ok: true };
	},
	reopen: async (event) => {
		try {
			await reopenByToken(event.params.token);
		} catch (err) {
			return failed('reopen', err);
		}
		return { action: 'reopen', ok: true };
	},
	rate: async (event) => {
		const form = await event.request.formData();
		const rating = Number(form.get('rating') ?? 0);
		const comment = String(form.get('comment') ?? '');
		try {
			await rateByToken(event.params.token, { rating, comment });
		} catch (err) {
			return failed('rate', err);
		}
		return { action: 'rate', ok: true };
	}
};
