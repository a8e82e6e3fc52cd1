import { randomUUID } from 'node:crypto';
import { db } from '../../src/lib/server/db/client';
import { createRule } from '../../src/lib/server/automation/admin';
import { makeUser, type TestUser } from './factories';

/**
 * Automation rules are global (every ticket meets every active rule): the test files that make
 * them work in a database of their own (useOwnDatabase) and clear the rules between tests.
 */
let admin: TestUser | undefined;

export async function makeRule(draft: Record<string, unknown>) {
	admin ??= await makeUser({ role: 'ADMIN' });
	const rule = await createRule(
		{ id: admin.id, ip: null },
		{ name: `Rule ${randomUUID().slice(0, 8)}`, ...draft }
	);
	return db().automationRule.findUniqueOrThrow({ where: { id: rule.id } });
}

export async function clearRules() {
	await db().automationRule.deleteMany();
}

/** Forgets the cached admin (after the database was switched). */
export function forgetRuleAdmin() {
	admin = undefined;
}

export const runsOf = (ruleId: string) =>
	db().automationRun.findMany({ where: { ruleId }, orderBy: { id: 'asc' } });

export const historyOf = (ticketId: string) =>
	db().ticketEvent.findMany({
		where: { ticketId, via: { not: null } },
		orderBy: { id: 'asc' },
		select: { field: true, fromValue: true, toValue: true, via: true, actorId: true }
	});
