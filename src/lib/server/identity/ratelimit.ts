import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import { pgPool } from '../db/pool';

const holder = globalThis as unknown as { __itsmSignInLimiter?: RateLimiterPostgres };

/** 10 failed sign-ins per minute per IP + email, counted in PostgreSQL (shared by all instances). */
function limiter(): RateLimiterPostgres {
	holder.__itsmSignInLimiter ??= new RateLimiterPostgres({
		storeClient: pgPool(),
		storeType: 'pool',
		tableName: 'RateLimit',
		tableCreated: true,
		keyPrefix: 'signin',
		points: 10,
		duration: 60
	});
	return holder.__itsmSignInLimiter;
}

export function signInKey(ip: string, email: string): string {
	return `${ip}|${email.trim().toLowerCase()}`;
}

function tooMany(res: RateLimiterRes): AppError {
	const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
	return new AppError(
		'TOO_MANY_REQUESTS',
		`Too many failed sign-in attempts. Try again in ${seconds} s.`,
		undefined,
		seconds
	);
}

/**
 * Counts an attempt before its password is checked and throws TOO_MANY_REQUESTS past the 10th.
 * The increment is one atomic upsert, so a burst of parallel attempts cannot all pass a
 * read-then-write check; a successful sign-in clears the count, so only failures add up.
 */
export async function consumeSignInAttempt(key: string): Promise<void> {
	try {
		await limiter().consume(key);
	} catch (res) {
		if (res instanceof RateLimiterRes) throw tooMany(res);
		throw res;
	}
}

export async function clearSignInFailures(key: string): Promise<void> {
	await limiter().delete(key);
}
