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
