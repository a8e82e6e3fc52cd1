import { describe, expect, it } from 'vitest';
import { isCrossSiteForm } from '../../src/lib/server/http/csrf';

const url = (path: string) => new URL(`http://help.test${path}`);
const req = (method: string, type: string | null, origin: string | null) =>
	new Request('http://help.test/', {
		method,
		headers: {
			...(type ? { 'content-type': type } : {}),
			...(origin ? { origin } : {})
		},
		body: method === 'GET' ? undefined : 'x'
	});

describe('cross-site form protection', () => {
	it('refuses form posts from other origins, as SvelteKit does', () => {
		for (const type of [
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
			'text/plain;charset=UTF-8',
			'TEXT/PLAIN'
		]) {
			expect(isCrossSiteForm(req('POST', type, 'http://evil.test'), url('/login'))).toBe(true);
			expect(isCrossSiteForm(req('POST', type, null), url('/login'))).toBe(true);
		}
		expect(isCrossSiteForm(req('DELETE', 'text/plain', 'http://evil.test'), url('/x'))).toBe(true);
	});

	it('lets same-origin forms, JSON and reads through', () => {
		expect(
			isCrossSiteForm(
				req('POST', 'application/x-www-form-urlencoded', 'http://help.test'),
				url('/login')
			)
		).toBe(false);
		expect(
			isCrossSiteForm(req('POST', 'application/json', 'http://evil.test'), url('/api/v1/tickets'))
		).toBe(false);
		expect(isCrossSiteForm(req('GET', null, 'http://evil.test'), url('/'))).toBe(false);
	});

	it('lets mail providers post to the inbound webhook (it has its own secret)', () => {
		expect(
			isCrossSiteForm(
				req('POST', 'multipart/form-data; boundary=x', 'https://mailgun.test'),
				url('/api/v1/inbound/email')
			)
		).toBe(false);
		expect(isCrossSiteForm(req('POST', 'text/plain', null), url('/api/v1/inbound/email'))).toBe(
			false
		);
	});
});
