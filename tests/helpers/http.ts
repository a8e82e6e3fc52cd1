import type { RequestEvent } from '@sveltejs/kit';
import { log } from '../../src/lib/server/log';

export interface CookieCall {
	op: 'set' | 'delete';
	name: string;
	value?: string;
	options: Record<string, unknown>;
}

/**
 * The parts of a SvelteKit RequestEvent that server code reads: request, url, cookies, locals,
 * getClientAddress. `cookieCalls` records what the code did to the cookies.
 */
export function fakeEvent(
	opts: {
		url?: string;
		method?: string;
		headers?: Record<string, string>;
		body?: BodyInit;
		cookies?: Record<string, string>;
		clientAddress?: string;
	} = {}
) {
	const url = opts.url ?? 'http://localhost/';
	const jar = new Map(Object.entries(opts.cookies ?? {}));
	const cookieCalls: CookieCall[] = [];
	const event = {
		request: new Request(url, { method: opts.method, headers: opts.headers, body: opts.body }),
		url: new URL(url),
		params: {},
		route: { id: null },
		cookies: {
			get: (name: string) => jar.get(name),
			getAll: () => [...jar].map(([name, value]) => ({ name, value })),
			set(name: string, value: string, options: Record<string, unknown>) {
				jar.set(name, value);
				cookieCalls.push({ op: 'set', name, value, options });
			},
			delete(name: string, options: Record<string, unknown>) {
				jar.delete(name);
				cookieCalls.push({ op: 'delete', name, options });
			},
			serialize: () => ''
		},
		locals: { user: null, sessionId: null, requestId: 'test-request', log, theme: 'dark' },
		getClientAddress() {
			if (!opts.clientAddress) throw new Error('no client address in this environment');
			return opts.clientAddress;
		}
	} as unknown as RequestEvent;
	return { event, jar, cookieCalls };
}
