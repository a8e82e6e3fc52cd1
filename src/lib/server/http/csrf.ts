/**
 * Cross-site form protection, as SvelteKit's own (which is turned off in svelte.config.js so that
 * one route can take cross-site posts): a POST/PUT/PATCH/DELETE with a form content type
 * (urlencoded, multipart, text/plain) from another origin is refused. The exception is the inbound
 * mail webhook, which mail providers call from their servers with exactly those content types; it
 * authenticates with its own secret and uses no session.
 */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
export const CROSS_SITE_ALLOWED = ['/api/v1/inbound/email'];

export function isCrossSiteForm(request: Request, url: URL): boolean {
	if (!METHODS.includes(request.method)) return false;
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) return false;
	if (request.headers.get('origin') === url.origin) return false;
	return !CROSS_SITE_ALLOWED.includes(url.pathname);
}
