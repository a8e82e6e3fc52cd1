import { randomUUID } from 'node:crypto';
import { db, type Role } from '../../src/lib/server/db/client';
import { hashPassword } from '../../src/lib/server/identity/passwords';
import { toSessionUser } from '../../src/lib/server/identity/sessions';
import type { SessionUser } from '../../src/lib/server/identity/types';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCaller } from '../../src/lib/server/trpc/root';

export const TEST_PASSWORD = 'correct horse battery';
let hashed: Promise<string> | undefined;

export function uniqueEmail(prefix = 'user'): string {
	return `${prefix}-${randomUUID().slice(0, 8)}@test.example`;
}

/** A user row with a unique email; override any field. */
export async function makeUser(
	overrides: Partial<{ role: Role; name: string; email: string; active: boolean; password: string | null }> = {}
) {
	hashed ??= hashPassword(TEST_PASSWORD);
	const passwordHash =
		overrides.password === null ? null : overrides.password ? await hashPassword(overrides.password) : await hashed;
	return db().user.create({
		data: {
			email: overrides.email ?? uniqueEmail((overrides.role ?? 'END_USER').toLowerCase()),
			name: overrides.name ?? `Test ${randomUUID().slice(0, 6)}`,
			role: overrides.role ?? 'END_USER',
			active: overrides.active ?? true,
			passwordHash
		}
	});
}

export function sessionUserOf(user: Awaited<ReturnType<typeof makeUser>>): SessionUser {
	return toSessionUser(user);
}

/** A tRPC caller acting as the given user (or anonymous). */
export function callerAs(user: Awaited<ReturnType<typeof makeUser>> | null, sessionId: string | null = null) {
	return createCaller(createContext({ user: user ? toSessionUser(user) : null, sessionId, ip: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` }));
}
