import type { z } from 'zod';
/** Typed domain errors, mapped once to tRPC codes and HTTP statuses. */
export type AppErrorCode =
	| 'BAD_REQUEST'
	| 'UNAUTHORIZED'
	| 'FORBIDDEN'
	| 'NOT_FOUND'
	| 'CONFLICT'
	| 'PAYLOAD_TOO_LARGE'
	| 'TOO_MANY_REQUESTS'
	| 'SERVICE_UNAVAILABLE';

export const httpStatus: Record<AppErrorCode, number> = {
	BAD_REQUEST: 400,
	UNAUTHORIZED: 401,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	PAYLOAD_TOO_LARGE: 413,
	TOO_MANY_REQUESTS: 429,
	SERVICE_UNAVAILABLE: 503
};

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
	constructor(
		public readonly code: AppErrorCode,
		message: string,
		public readonly fields?: FieldErrors,
		public readonly retryAfterSeconds?: number
	) {
		super(message);
		this.name = 'AppError';
	}
}

export const notFound = (what = 'Not found') => new AppError('NOT_FOUND', what);
export const forbidden = (what = 'You do not have permission to do that.') =>
	new AppError('FORBIDDEN', what);
export const fieldError = (field: string, message: string) =>
	new AppError('BAD_REQUEST', message, { [field]: [message] });

/** Parses `input`, or throws BAD_REQUEST with the issues keyed by dotted path ('actions.2.url'). */
export function parseFields<S extends z.ZodType>(schema: S, input: unknown, what: string) {
	const parsed = schema.safeParse(input);
	if (parsed.success) return parsed.data as z.output<S>;
	const fields: FieldErrors = {};
	for (const issue of parsed.error.issues) {
		(fields[issue.path.map(String).join('.') || '_form'] ??= []).push(issue.message);
	}
	throw new AppError(
		'BAD_REQUEST',
		`The ${what} is not valid: ${parsed.error.issues[0]?.message ?? 'check the fields.'}`,
		fields
	);
}
