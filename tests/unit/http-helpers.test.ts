import { describe, expect, it } from 'vitest';
import { AppError, fieldError, forbidden, httpStatus, notFound } from '../../src/lib/server/errors';
import { signInKey } from '../../src/lib/server/identity/ratelimit';
import { emailSchema, groupSchema } from '../../src/lib/server/identity/schemas';
import { cookieValue } from '../../src/lib/server/realtime/ws';

describe('cookieValue (WebSocket upgrades read the session cookie themselves)', () => {
	it('finds a cookie among others and decodes it', () => {
		const header = 'theme=dark; itsm_session=a%2Bb%3Dc;  other=1';
		expect(cookieValue(header, 'itsm_session')).toBe('a+b=c');
		expect(cookieValue(header, 'theme')).toBe('dark');
		expect(cookieValue(header, 'other')).toBe('1');
	});

	it('does not match a cookie whose name merely contains the name', () => {
		expect(cookieValue('x_itsm_session=evil; itsm_session_old=1', 'itsm_session')).toBeUndefined();
	});

	it('no header, no value', () => {
		expect(cookieValue(undefined, 'itsm_session')).toBeUndefined();
		expect(cookieValue('', 'itsm_session')).toBeUndefined();
		expect(cookieValue('=novalue; itsm_session', 'itsm_session')).toBeUndefined();
	});
});

describe('errors', () => {
	it('each code has its HTTP status', () => {
		expect(httpStatus).toMatchObject({
			BAD_REQUEST: 400,
			UNAUTHORIZED: 401,
			FORBIDDEN: 403,
			NOT_FOUND: 404,
			CONFLICT: 409,
			TOO_MANY_REQUESTS: 429,
			SERVICE_UNAVAILABLE: 503
		});
	});

	it('helpers build typed AppErrors', () => {
		expect(notFound()).toMatchObject({ code: 'NOT_FOUND', message: 'Not found', name: 'AppError' });
		expect(forbidden()).toBeInstanceOf(AppError);
		expect(fieldError('email', 'Taken.')).toMatchObject({
			code: 'BAD_REQUEST',
			fields: { email: ['Taken.'] }
		});
	});
});

describe('input normalisation', () => {
	it('sign-in limits are counted per IP and normalised email', () => {
		expect(signInKey('10.0.0.1', '  Ada@Example.COM ')).toBe('10.0.0.1|ada@example.com');
	});

	it('emails are trimmed and lower-cased before validation', () => {
		expect(emailSchema.parse('  Ada@Example.COM ')).toBe('ada@example.com');
		expect(emailSchema.safeParse('ada@').success).toBe(false);
	});

	it('group email may be blank, which stores nothing', () => {
		expect(groupSchema.parse({ name: 'Net', email: '' }).email).toBeNull();
		expect(groupSchema.parse({ name: 'Net', description: '  ' }).description).toBeNull();
	});
});
