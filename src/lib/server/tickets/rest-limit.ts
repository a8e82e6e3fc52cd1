import { createHash } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import { pgPool } from '../db/pool';
import type { SessionUser } from '../identity/types';

/** Requests per minute per API key (or per signed-in user calling with a session). */
export const REST_RATE_LIMIT = 600;
const WINDOW_SECONDS = 60;

const holder = globalThis as unknown as { __itsmRestLimiter?: RateLimiterPostgres };

/** Counted in PostgreSQL, so every app instance shares one budget per key. */
export function restLimiter(): RateLimiterPostgres {
	holder.__itsmRestLimiter ??= new RateLimiterPostgres({
		storeClient: pgPool(),
		storeType: 'pool',
		tableName: 'RateLimit',
		tableCreated: true,
		keyPrefix: 'rest',
		points: REST_RATE_LIMIT,
		duration: WINDOW_SECONDS
	});
	return holder.__itsmRestLimiter;
}

/** The budget's key: a digest of the bearer key (never the key itself), else the user. */
export function restLimitKey(request: Request, user: SessionUser): string {
	const header = request.headers.get('authorization');
	if (header?.toLowerCase().startsWith('bearer ')) {
		const digest = createHash('sha256').update(header.slice(7).trim()).digest('hex');
		return `key:${digest.slice(0, 32)}`;
	}
	return `user:${user.id}`;
}

function headersOf(res: RateLimiterRes): Record<string, string> {
	return {
		'ratelimit-limit': String(REST_RATE_LIMIT),
		'ratelimit-remaining': String(Math.max(0, res.remainingPoints)),
		'ratelimit-reset': String(Math.max(1, Math.ceil(res.msBeforeNext / 1000)))
	};
}

/**
 * Wraps a handler that runs after endpoint()'s access check: counts the request, answers 429 with
 * Retry-After past the budget, and adds RateLimit-* headers to the answer.
 */
export function rateLimited(
	handler: (event: RequestEvent, user: SessionUser) => Promise<Response>
): (event: RequestEvent, user: SessionUser | null) => Promise<Response> {
	return async (event, user) => {
		let used: RateLimiterRes;
		try {
			used = await restLimiter().consume(restLimitKey(event.request, user!));
		} catch (res) {
			if (!(res instanceof RateLimiterRes)) throw res;
			const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
			throw new AppError(
				'TOO_MANY_REQUESTS',
				`Too many requests: ${REST_RATE_LIMIT} per minute per API key. Try again in ${seconds} s.`,
				undefined,
				seconds
			);
		}
		const response = await handler(event, user!);
		for (const [k, v] of Object.entries(headersOf(used))) response.headers.set(k, v);
		return response;
	};
}
