import { randomBytes } from 'node:crypto';
import { STAFF_ROLES } from '$lib/permissions';
import { audit } from '../audit';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { AppError, notFound, parseFields, type FieldErrors } from '../errors';
import type { Actor } from '../identity/users';
import { ruleDraftSchema, TRIGGERS, type RuleDraft, type Trigger } from './schemas';

type Tx = Prisma.TransactionClient;

/**
 * Automation admin (IT Managers and Admins): rules of each trigger in order, enable, reorder,
 * their last runs and webhook deliveries. Every write is validated field by field and audited.
 */
const ruleSelect = {
	id: true,
	name: true,
	description: true,
	trigger: true,
	position: true,
	active: true,
	stopProcessing: true,
	conditions: true,
	actions: true,
	timeAnchor: true,
	timeMinutes: true,
	secret: true,
	createdAt: true,
	updatedAt: true
} as const;

export async function listRules() {
	const [rules, stats] = await Promise.all([
		db().automationRule.findMany({
			select: ruleSelect,
			orderBy: [{ trigger: 'asc' }, { position: 'asc' }, { createdAt: 'asc' }]
		}),
		db().$queryRaw<{ ruleId: string; runs: number; failed: number; lastAt: Date | null }[]>`
			SELECT "ruleId", count(*)::int AS runs,
				count(*) FILTER (WHERE outcome <> 'done')::int AS failed, max("createdAt") AS "lastAt"
			FROM "AutomationRun" WHERE "createdAt" > now() - interval '7 days'
			GROUP BY "ruleId"`
	]);
	const byRule = new Map(stats.map((s) => [s.ruleId, s]));
	return rules.map(({ secret: _secret, ...r }) => ({
		...r,
		runs7d: byRule.get(r.id)?.runs ?? 0,
		failed7d: byRule.get(r.id)?.failed ?? 0,
		lastRunAt: byRule.get(r.id)?.lastAt ?? null
	}));
}

export async function getRule(id: string) {
	const rule = await db().automationRule.findUnique({ where: { id }, select: ruleSelect });
	if (!rule) throw notFound('Rule not found.');
	const [runs, deliveries] = await Promise.all([
		db().automationRun.findMany({
			where: { ruleId: id },
			orderBy: { createdAt: 'desc' },
			take: 50,
			select: {
				id: true,
				outcome: true,
				summary: true,
				trigger: true,
				createdAt: true,
				ticket: { select: { number: true, subject: true } }
			}
		}),
		db().webhookDelivery.findMany({
			where: { ruleId: id },
			orderBy: { createdAt: 'desc' },
			take: 30,
			select: {
				id: true,
				url: true,
				event: true,
				status: true,
				attempts: true,
				nextAttemptAt: true,
				deliveredAt: true,
				createdAt: true,
				ticket: { select: { number: true } },
				log: {
					orderBy: { createdAt: 'desc' },
					take: 5,
					select: {
						statusCode: true,
						error: true,
						durationMs: true,
						response: true,
						createdAt: true
					}
				}
			}
		})
	]);
	return {
		rule,
		runs: runs.map((r) => ({ ...r, id: String(r.id) })),
		deliveries
	};
}

/** Names for the editor's pickers. */
export async function ruleOptions() {
	const [types, categories, groups, agents, customFields] = await Promise.all([
		db().ticketType.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
		db().ticketCategory.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
		db().group.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
		db().user.findMany({
			where: { active: true, role: { in: [...STAFF_ROLES] } },
			select: { id: true, name: true, email: true },
			orderBy: { name: 'asc' },
			take: 1000
		}),
		db().customField.findMany({
			where: { active: true },
			select: { key: true, label: true, kind: true, options: true },
			orderBy: [{ position: 'asc' }, { label: 'asc' }]
		})
	]);
	return { types, categories, groups, agents, customFields };
}

/** Every id a rule names must exist; reported beside the field that names it. */
async function checkRefs(tx: Tx, r: RuleDraft) {
	const fields: FieldErrors = {};
	const ids = {
		type: new Set<string>(),
		category: new Set<string>(),
		group: new Set<string>(),
		user: new Set<string>()
	};
	const where: [string, keyof typeof ids, string][] = [];
	const want = (path: string, kind: keyof typeof ids, id: string) => {
		ids[kind].add(id);
		where.push([path, kind, id]);
	};
	r.conditions.conditions.forEach((c, i) => {
		const kind = c.field === 'assignee' || c.field === 'requester' ? 'user' : c.field;
		if (!(kind in ids) || !Array.isArray(c.value)) return;
		for (const id of c.value as string[])
			want(`conditions.conditions.${i}.value`, kind as keyof typeof ids, id);
	});
	const keys = new Set<string>();
	r.conditions.conditions.forEach((c, i) => {
		if (c.field === 'custom' && c.key) keys.add(`conditions.conditions.${i}.key|${c.key}`);
	});
	r.actions.forEach((a, i) => {
		const at = `actions.${i}`;
		if (a.type === 'set' && (a.field === 'type' || a.field === 'category') && a.value)
			want(`${at}.value`, a.field, a.value);
		if (
			a.type === 'set' &&
			a.field === 'status' &&
			!['NEW', 'OPEN', 'PENDING', 'ON_HOLD', 'RESOLVED', 'CLOSED'].includes(a.value ?? '')
		)
			(fields[`${at}.value`] ??= []).push('Choose a status.');
		if (
			a.type === 'set' &&
			a.field === 'priority' &&
			!['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(a.value ?? '')
		)
			(fields[`${at}.value`] ??= []).push('Choose a priority.');
		if (a.type === 'assignAgent') want(`${at}.userId`, 'user', a.userId);
		if (a.type === 'assignGroup') want(`${at}.groupId`, 'group', a.groupId);
		if (a.type === 'addWatchers' || a.type === 'notify')
			for (const id of a.userIds) want(`${at}.userIds`, 'user', id);
		if (a.type === 'setCustomField') keys.add(`${at}.key|${a.key}`);
	});
	const [types, categories, groups, users, customFields] = await Promise.all([
		tx.ticketType.findMany({ where: { id: { in: [...ids.type] } }, select: { id: true } }),
		tx.ticketCategory.findMany({ where: { id: { in: [...ids.category] } }, select: { id: true } }),
		tx.group.findMany({ where: { id: { in: [...ids.group] } }, select: { id: true } }),
		tx.user.findMany({
			where: { id: { in: [...ids.user] }, active: true },
			select: { id: true, role: true }
		}),
		tx.customField.findMany({
			where: { key: { in: [...keys].map((k) => k.split('|')[1]!) } },
			select: { key: true }
		})
	]);
	const found = {
		type: new Set(types.map((x) => x.id)),
		category: new Set(categories.map((x) => x.id)),
		group: new Set(groups.map((x) => x.id)),
		user: new Set(users.map((x) => x.id))
	};
	const staff = new Set(
		users.filter((u) => (STAFF_ROLES as readonly string[]).includes(u.role)).map((u) => u.id)
	);
	for (const [path, kind, id] of where) {
		const ok =
			path.includes('.userId') || path.includes('.userIds') ? staff.has(id) : found[kind].has(id);
		if (!ok) {
			const what =
				kind === 'user' ? (path.startsWith('actions') ? 'active agent' : 'person') : kind;
			(fields[path] ??= []).push(`This ${what} does not exist (any more).`);
		}
	}
	const known = new Set(customFields.map((c) => c.key));
	for (const k of keys) {
		const [path, key] = k.split('|') as [string, string];
		if (!known.has(key)) (fields[path] ??= []).push(`There is no custom field "${key}".`);
	}
	if (Object.keys(fields).length) {
		const first = Object.values(fields)[0]![0]!;
		throw new AppError('BAD_REQUEST', `The rule is not valid: ${first}`, fields);
	}
}

async function nameTaken(tx: Tx, name: string, except?: string) {
	const other = await tx.automationRule.findFirst({
		where: {
			name: { equals: name, mode: 'insensitive' },
			...(except ? { id: { not: except } } : {})
		},
		select: { id: true }
	});
	if (other) {
		const message = 'Another rule has this name.';
		throw new AppError('BAD_REQUEST', message, { name: [message] });
	}
}

const dataOf = (r: RuleDraft) => ({
	name: r.name,
	description: r.description,
	trigger: r.trigger,
	active: r.active,
	stopProcessing: r.stopProcessing,
	conditions: r.conditions as unknown as Prisma.InputJsonValue,
	actions: r.actions as unknown as Prisma.InputJsonValue,
	timeAnchor: r.trigger === 'TIME' ? r.timeAnchor : null,
	timeMinutes: r.trigger === 'TIME' ? r.timeMinutes : null
});

async function nextPosition(tx: Tx, trigger: Trigger) {
	const last = await tx.automationRule.aggregate({ where: { trigger }, _max: { position: true } });
	return (last._max.position ?? -1) + 1;
}

export async function createRule(actor: Actor, input: unknown) {
	const draft = parseFields(ruleDraftSchema, input, 'rule');
	return db().$transaction(async (tx) => {
		await nameTaken(tx, draft.name);
		await checkRefs(tx, draft);
		const rule = await tx.automationRule.create({
			data: {
				...dataOf(draft),
				position: await nextPosition(tx, draft.trigger),
				secret: randomBytes(32).toString('hex'),
				createdById: actor.id
			},
			select: { id: true, name: true }
		});
		await audit(tx, {
			actorId: actor.id,
			action: 'automation.create',
			entityType: 'AutomationRule',
			entityId: rule.id,
			data: { name: rule.name, trigger: draft.trigger },
			ip: actor.ip
		});
		return rule;
	});
}

export async function updateRule(actor: Actor, id: string, input: unknown) {
	const draft = parseFields(ruleDraftSchema, input, 'rule');
	return db().$transaction(async (tx) => {
		const current = await tx.automationRule.findUnique({
			where: { id },
			select: { trigger: true }
		});
		if (!current) throw notFound('Rule not found.');
		await nameTaken(tx, draft.name, id);
		await checkRefs(tx, draft);
		const moved = current.trigger !== draft.trigger;
		const rule = await tx.automationRule.update({
			where: { id },
			data: {
				...dataOf(draft),
				...(moved ? { position: await nextPosition(tx, draft.trigger) } : {})
			},
			select: { id: true, name: true }
		});
		await audit(tx, {
			actorId: actor.id,
			action: 'automation.update',
			entityType: 'AutomationRule',
			entityId: id,
			data: { name: rule.name },
			ip: actor.ip
		});
		return rule;
	});
}

async function simpleChange(
	actor: Actor,
	id: string,
	action: string,
	data: Prisma.AutomationRuleUpdateInput
) {
	return db().$transaction(async (tx) => {
		const res = await tx.automationRule.updateMany({ where: { id }, data });
		if (!res.count) throw notFound('Rule not found.');
		await audit(tx, {
			actorId: actor.id,
			action,
			entityType: 'AutomationRule',
			entityId: id,
			ip: actor.ip
		});
	});
}

export const setRuleActive = (actor: Actor, id: string, active: boolean) =>
	simpleChange(actor, id, active ? 'automation.enable' : 'automation.disable', { active });

export const rotateSecret = (actor: Actor, id: string) =>
	simpleChange(actor, id, 'automation.rotate-secret', { secret: randomBytes(32).toString('hex') });

export async function deleteRule(actor: Actor, id: string) {
	await db().$transaction(async (tx) => {
		const rule = await tx.automationRule.findUnique({ where: { id }, select: { name: true } });
		if (!rule) throw notFound('Rule not found.');
		await tx.automationRule.delete({ where: { id } });
		await audit(tx, {
			actorId: actor.id,
			action: 'automation.delete',
			entityType: 'AutomationRule',
			entityId: id,
			data: { name: rule.name },
			ip: actor.ip
		});
	});
}

/** The new order of one trigger's rules: every rule of it, each once. */
export async function reorderRules(actor: Actor, trigger: Trigger, ids: string[]) {
	if (!TRIGGERS.includes(trigger)) throw new AppError('BAD_REQUEST', 'Unknown trigger.');
	await db().$transaction(async (tx) => {
		const rules = await tx.automationRule.findMany({ where: { trigger }, select: { id: true } });
		const have = new Set(rules.map((r) => r.id));
		if (
			ids.length !== have.size ||
			new Set(ids).size !== ids.length ||
			!ids.every((id) => have.has(id))
		)
			throw new AppError('CONFLICT', 'The rules changed meanwhile. Reload and try again.');
		await tx.$executeRaw`
			UPDATE "AutomationRule" r SET position = v.pos - 1
			FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS v(id, pos) WHERE r.id = v.id`;
		await audit(tx, {
			actorId: actor.id,
			action: 'automation.reorder',
			entityType: 'AutomationRule',
			entityId: trigger,
			data: { ids },
			ip: actor.ip
		});
	});
}
