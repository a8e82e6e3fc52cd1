import { json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import { z, ZodError } from 'zod';
import { can, type Permission } from '$lib/permissions';
import { AppError, httpStatus, type FieldErrors } from '../errors';
import type { SessionUser } from '../identity/types';
import { isDatabaseDown } from './auth';

/**
 * The public REST API's conventions, shared by every `src/routes/api/v1/** /+server.ts`:
 *   export const _permissions = { GET: 'profile.read' } satisfies EndpointPermissions;
 *   export const GET = endpoint(_permissions.GET, async (event, user) => json(...));
 * The handler checks the same permission the map declares (the permission walk test reads the
 * map and calls each handler as every role). Errors are JSON `{ error: { code, message, fields? } }`.
 */
export type Access = Permission | 'public' | 'authenticated';
export type EndpointPermissions = Partial<
	Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', Access>
>;

export function errorResponse(
	status: number,
	code: string,
	message: string,
	fields?: FieldErrors,
	headers?: HeadersInit
): Response {
	return json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers });
}

function fromError(err: unknown, event: RequestEvent): Response {
	if (err instanceof ZodError) {
		const flat = z.flattenError(err);
		const fields: FieldErrors = { ...(flat.fieldErrors as FieldErrors) };
		if (flat.formErrors.length) fields._body = flat.formErrors;
		return errorResponse(400, 'BAD_REQUEST', 'Some fields are not valid.', fields);
	}
	if (err instanceof AppError) {
		const headers = err.retryAfterSeconds
			? { 'retry-after': String(err.retryAfterSeconds) }
			: undefined;
		return errorResponse(httpStatus[err.code], err.code, err.message, err.fields, headers);
	}
	if (isDatabaseDown(err)) {
		return errorResponse(
			503,
			'SERVICE_UNAVAILABLE',
			'The database is unreachable right now.',
			undefined,
			{
				'retry-after': '5'
			}
		);
	}
	event.locals.log.error({ err, path: event.url.pathname }, 'REST handler failed');
	return errorResponse(500, 'INTERNAL', 'Something went wrong on our side.');
}

/** Reads a JSON body; malformed JSON is a 400, not a 500. */
export async function readJson(event: RequestEvent): Promise<unknown> {
	try {
		return await event.request.json();
	} catch {
		throw new AppError('BAD_REQUEST', 'The request body must be valid JSON.');
	}
}

export function endpoint(
	access: Access | undefined,
	handler: (event: RequestEvent, user: SessionUser | null) => Promise<Response> | Response
): RequestHandler {
	return async (event) => {
		const user = event.locals.user;
		if (!access) return errorResponse(500, 'INTERNAL', 'Endpoint has no access rule.');
		if (access !== 'public') {
			if (!user) {
				return errorResponse(
					401,
					'UNAUTHORIZED',
					'Sign in, or send Authorization: Bearer <API key>.',
					undefined,
					{
						'www-authenticate': 'Bearer'
					}
				);
			}
			if (access !== 'authenticated' && !can(user.role, access)) {
				return errorResponse(403, 'FORBIDDEN', 'You do not have permission to do that.');
			}
		}
		try {
			return await handler(event, user);
		} catch (err) {
			return fromError(err, event);
		}
	};
}
