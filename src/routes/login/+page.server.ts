import { fail, redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { homeFor } from '$lib/permissions';
import { config } from '$lib/server/config';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '$lib/server/db/seed';
import { callerFor } from '$lib/server/http/context';
import { signInSchema } from '$lib/server/identity/schemas';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';

/** Only same-site paths, so the redirect cannot send anyone elsewhere. */
function safeRedirect(target: string | null): string | null {
	return target && target.startsWith('/') && !target.startsWith('//') ? target : null;
}

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user)
		redirect(303, safeRedirect(url.searchParams.get('redirectTo')) ?? homeFor(locals.user.role));
	return {
		demo: config.seedDemo
			? {
					password: DEMO_PASSWORD,
					accounts: DEMO_ACCOUNTS.map(({ email, name, role }) => ({ email, name, role }))
				}
			: null,
		signedOut: url.searchParams.has('signedOut')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const raw = {
			email: String(form.get('email') ?? ''),
			password: String(form.get('password') ?? '')
		};
		const parsed = signInSchema.safeParse(raw);
		if (!parsed.success) {
			const fields: Record<string, string[] | undefined> = z.flattenError(parsed.error).fieldErrors;
			return fail(400, { email: raw.email, fields, message: null });
		}
		try {
			const user = await callerFor(event).auth.signIn(parsed.data);
			redirect(303, safeRedirect(event.url.searchParams.get('redirectTo')) ?? homeFor(user.role));
		} catch (err) {
			if (
				err instanceof TRPCError &&
				(err.code === 'UNAUTHORIZED' || err.code === 'TOO_MANY_REQUESTS')
			) {
				const fields: Record<string, string[] | undefined> = {};
				return fail(err.code === 'UNAUTHORIZED' ? 400 : 429, {
					email: raw.email,
					fields,
					message: err.message
				});
			}
			throw err;
		}
	}
};
