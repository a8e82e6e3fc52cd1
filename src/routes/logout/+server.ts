import { redirect } from '@sveltejs/kit';
import { callerFor } from '$lib/server/http/context';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	if (event.locals.user) await callerFor(event).auth.signOut();
	redirect(303, '/login?signedOut=1');
};
