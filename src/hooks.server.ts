import { randomUUID } from 'node:crypto';
import {
	error,
	isHttpError,
	isRedirect,
	json,
	redirect,
	type Handle,
	type HandleServerError,
	type ServerInit
} from '@sveltejs/kit';
import { can } from '$lib/permissions';
import { log } from '$lib/server/log';
import { startRuntime } from '$lib/server/runtime';
import { guardFor } from '$lib/server/http/guards';
import { isCrossSiteForm } from '$lib/server/http/csrf';
import { authenticate, isDatabaseDown } from '$lib/server/http/auth';

export const init: ServerInit = async () => {
	await startRuntime();
};

const THEME_COOKIE = 'itsm_theme';
const HTTP_CODES: Record<number, string> = {
	401: 'UNAUTHORIZED',
	403: 'FORBIDDEN',
	503: 'SERVICE_UNAVAILABLE'
};

function wantsJson(pathname: string): boolean {
	return pathname.startsWith('/api/') || pathname === '/healthz';
}

export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const requestId = event.request.headers.get('x-request-id')?.slice(0, 64) || randomUUID();
	event.locals.requestId = requestId;
	event.locals.log = log.child({ requestId });
	const { pathname } = event.url;
	if (isCrossSiteForm(event.request, event.url)) {
		const message = `Cross-site ${event.request.method} form submissions are forbidden`;
		return wantsJson(pathname) || event.request.headers.get('accept') === 'application/json'
			? json({ error: { code: 'FORBIDDEN', message } }, { status: 403 })
			: new Response(message, { status: 403, headers: { 'content-type': 'text/plain' } });
	}

	let response: Response;
	try {
		await authenticate(event, pathname !== '/healthz');
		event.locals.theme =
			event.locals.user?.theme ?? (event.cookies.get(THEME_COOKIE) === 'light' ? 'light' : 'dark');

		const guard = guardFor(pathname);
		if (guard) {
			const user = event.locals.user;
			if (!user) {
				if (wantsJson(pathname)) error(401, 'Please sign in.');
				redirect(303, `/login?redirectTo=${encodeURIComponent(pathname + event.url.search)}`);
			}
			if (guard.permission !== 'authenticated' && !can(user.role, guard.permission)) {
				error(403, 'You do not have access to this page.');
			}
		}
		response = await resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%itsm.theme%', event.locals.theme)
		});
	} catch (err) {
		if (isRedirect(err)) {
			response = new Response(null, { status: err.status, headers: { location: err.location } });
		} else if (isHttpError(err) || isDatabaseDown(err)) {
			const status = isHttpError(err) ? err.status : 503;
			const message = isHttpError(err)
				? err.body.message
				: 'The database is unreachable right now. The helpdesk will be back as soon as it returns.';
			if (!isHttpError(err))
				event.locals.log.error({ err: (err as Error).message }, 'database unreachable');
			response = wantsJson(pathname)
				? json({ error: { code: HTTP_CODES[status] ?? 'ERROR', message } }, { status })
				: errorPage(status, message, requestId);
		} else {
			throw err;
		}
	}
	response.headers.set('x-request-id', requestId);
	event.locals.log.info(
		{
			method: event.request.method,
			path: pathname,
			status: response.status,
			ms: Math.round(performance.now() - started),
			userId: event.locals.user?.id
		},
		'request'
	);
	return response;
};

/** A self-contained page for faults hit before SvelteKit can render (e.g. the database is down). */
function errorPage(status: number, message: string, requestId: string): Response {
	const title = status === 503 ? 'Temporarily unavailable' : status === 403 ? 'No access' : 'Error';
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<style>body{margin:0;min-height:100vh;display:grid;place-items:center;background:#0f1115;color:#e6e8ee;font:15px/1.5 system-ui,sans-serif}main{max-width:32rem;padding:2rem}h1{font-size:1.4rem;margin:0 0 .5rem}p{color:#a9afbd}a{color:#8b9bff}small{color:#8a91a0}</style>
</head><body><main><h1>${title}</h1><p>${message}</p><p><a href="/">Try again</a></p><small>Reference: ${requestId}</small></main></body></html>`;
	return new Response(html, {
		status,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			...(status === 503 ? { 'retry-after': '5' } : {})
		}
	});
}

export const handleError: HandleServerError = ({ error: err, event, status, message }) => {
	const errorId = event.locals.requestId ?? randomUUID();
	if (status === 404) return { message: 'Page not found', errorId };
	if (isDatabaseDown(err)) {
		return {
			message: 'The database is unreachable right now. Please try again in a moment.',
			errorId
		};
	}
	(event.locals.log ?? log).error({ err, status, path: event.url.pathname }, 'unhandled error');
	return { message: status >= 500 ? 'Something went wrong on our side.' : message, errorId };
};
