import { randomBytes } from 'node:crypto';
import { db } from '../db/client';

const KEY = 'auth.jwtSecret';
let cached: Uint8Array | undefined;

/**
 * The key that signs session tokens. Generated once and kept in the database, so every app
 * instance on the same database shares it without another environment variable.
 */
export async function jwtSecret(): Promise<Uint8Array> {
	if (cached) return cached;
	const fresh = randomBytes(32).toString('base64');
	await db().setting.upsert({
		where: { key: KEY },
		create: { key: KEY, value: fresh },
		update: {}
	});
	const row = await db().setting.findUniqueOrThrow({ where: { key: KEY } });
	cached = Buffer.from(String(row.value), 'base64');
	return cached;
}

export function forgetJwtSecret(): void {
	cached = undefined;
}
