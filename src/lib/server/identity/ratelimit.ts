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

/** Throws TOO_MANY_REQUESTS when this key has used up its failures. */
export async function assertSignInAllowed(key: string): Promise<void> {
	const res = await limiter().get(key);
	if (res && res.consumedPoints >= 10) throw tooMany(res);
}

export async function recordSignInFailure(key: string): Promise<void> {
	await limiter()
		.consume(key)
		.catch((res: unknown) => {
			if (res instanceof RateLimiterRes) return;
			throw res;
		});
}

export async function clearSignInFailures(key: string): Promise<void> {
	await limiter().delete(key);
}
