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

/** A made-up client address, different on every call (rate limits are per IP + email). */
export function uniqueIp(): string {
	const b = randomUUID().replace(/-/g, '');
	return `fd00::${b.slice(0, 4)}:${b.slice(4, 8)}:${b.slice(8, 12)}`;
}

export type TestUser = Awaited<ReturnType<typeof makeUser>>;

/** A user row with a unique email; override any field. */
export async function makeUser(
	overrides: Partial<{
		role: Role;
		name: string;
		email: string;
		active: boolean;
		password: string | null;
		department: string | null;
	}> = {}
) {
	hashed ??= hashPassword(TEST_PASSWORD);
	const passwordHash =
		overrides.password === null
			? null
			: overrides.password
				? await hashPassword(overrides.password)
				: await hashed;
	return db().user.create({
		data: {
			email: overrides.email ?? uniqueEmail((overrides.role ?? 'END_USER').toLowerCase()),
			name: overrides.name ?? `Test ${randomUUID().slice(0, 6)}`,
			role: overrides.role ?? 'END_USER',
			active: overrides.active ?? true,
			department: overrides.department ?? null,
			passwordHash
		}
	});
}

/** A group with a unique name; override any field. */
export function makeGroup(overrides: Partial<{ name: string; managerId: string }> = {}) {
	return db().group.create({
		data: {
			name: overrides.name ?? `Group ${randomUUID().slice(0, 8)}`,
			managerId: overrides.managerId
		}
	});
}

export function sessionUserOf(user: TestUser): SessionUser {
	return toSessionUser(user);
}

/** A tRPC caller acting as the given user (or anonymous). */
export function callerAs(user: TestUser | null, sessionId: string | null = null) {
	return createCaller(
		createContext({
			user: user ? toSessionUser(user) : null,
			sessionId,
			ip: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
		})
	);
}

/** A caller whose subscriptions end when `signal` aborts. */
export function subscriberAs(user: TestUser, signal: AbortSignal) {
	return createCaller(createContext({ user: toSessionUser(user) }), { signal });
}

/** The audit rows written about one entity, oldest first. */
export function auditOf(entityId: string) {
	return db().auditLog.findMany({ where: { entityId }, orderBy: { id: 'asc' } });
}
