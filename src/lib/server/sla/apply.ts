import { z } from 'zod';
import type { Prisma } from '../db/generated/client';
import type { BusinessCalendar } from './calendar';
import {
	computeSla,
	EMPTY_SLA,
	type PolicyClock,
	type SlaFields,
	type SlaTargets,
	type TicketFacts
} from './timers';

type Tx = Prisma.TransactionClient;

const minutes = z.number().positive().max(525_600);
const targetsSchema = z.object({
	LOW: z.object({ firstResponse: minutes, resolution: minutes }),
	MEDIUM: z.object({ firstResponse: minutes, resolution: minutes }),
	HIGH: z.object({ firstResponse: minutes, resolution: minutes }),
	CRITICAL: z.object({ firstResponse: minutes, resolution: minutes })
});
const conditionsSchema = z.object({
	typeIds: z.array(z.string()).optional(),
	groupIds: z.array(z.string()).optional(),
	categoryIds: z.array(z.string()).optional(),
	departments: z.array(z.string()).optional()
});
export type PolicyConditions = z.infer<typeof conditionsSchema>;

export interface LoadedPolicy extends PolicyClock {
	isDefault: boolean;
	conditions: PolicyConditions;
}

/** Active policies in matching order: conditional ones by position, the default last. */
export async function loadPolicies(tx: Tx): Promise<LoadedPolicy[]> {
	const rows = await tx.slaPolicy.findMany({
		where: { active: true },
		orderBy: [{ isDefault: 'asc' }, { position: 'asc' }, { name: 'asc' }],
		select: {
			id: true,
			name: true,
			isDefault: true,
			conditions: true,
			targets: true,
			warnPercent: true,
			calendar: { select: { timeZone: true, alwaysOpen: true, hours: true, holidays: true } },
			escalations: {
				orderBy: { position: 'asc' },
				select: { id: true, metric: true, percent: true, afterBreachMinutes: true }
			}
		}
	});
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		isDefault: r.isDefault,
		conditions: conditionsSchema.parse(r.conditions ?? {}),
		targets: targetsSchema.parse(r.targets) as SlaTargets,
		warnPercent: r.warnPercent,
		calendar: r.calendar as unknown as BusinessCalendar,
		escalations: r.escalations
	}));
}

export interface MatchFacts {
	typeId: string | null;
	groupId: string | null;
	categoryId: string | null;
	department: string | null;
}

const fits = (list: string[] | undefined, value: string | null) =>
	!list?.length || (value !== null && list.includes(value));

/** The first conditional policy whose every condition holds, else the default (or none). */
export function matchPolicy<P extends LoadedPolicy>(facts: MatchFacts, policies: P[]): P | null {
	for (const p of policies) {
		if (p.isDefault) continue;
		const c = p.conditions;
		if (
			fits(c.typeIds, facts.typeId) &&
			fits(c.groupIds, facts.groupId) &&
			fits(c.categoryIds, facts.categoryId) &&
			fits(c.departments, facts.department)
		) {
			return p;
		}
	}
	return policies.find((p) => p.isDefault) ?? null;
}

export const slaSelect = {
	slaPolicyId: true,
	firstResponseDueAt: true,
	resolutionDueAt: true,
	slaAtRiskAt: true,
	slaClockAt: true,
	slaPausedAt: true,
	firstResponseElapsedMin: true,
	resolutionElapsedMin: true,
	slaNextCheckAt: true
} satisfies Prisma.TicketSelect;

/** The stored SLA columns of a ticket row. */
export const slaFieldsOf = (r: SlaFields): SlaFields => ({
	slaPolicyId: r.slaPolicyId,
	firstResponseDueAt: r.firstResponseDueAt,
	resolutionDueAt: r.resolutionDueAt,
	slaAtRiskAt: r.slaAtRiskAt,
	slaClockAt: r.slaClockAt,
	slaPausedAt: r.slaPausedAt,
	firstResponseElapsedMin: r.firstResponseElapsedMin,
	resolutionElapsedMin: r.resolutionElapsedMin,
	slaNextCheckAt: r.slaNextCheckAt
});

/** What the clock reads of a ticket row. */
export const clockFactsOf = (r: TicketFacts): TicketFacts => ({
	status: r.status,
	priority: r.priority,
	createdAt: r.createdAt,
	firstResponseAt: r.firstResponseAt,
	resolvedAt: r.resolvedAt
});

const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export interface AppliedSla {
	before: SlaFields;
	after: SlaFields;
	policy: LoadedPolicy | null;
	facts: TicketFacts;
}

/**
 * Recomputes a ticket's SLA fields inside the caller's transaction, after any change that can
 * move them (creation, priority, type / group / category, status, first response). Writes only
 * when something changed, and a history row ("sla") when the policy or a due instant moved,
 * saying why.
 */
export async function applySla(
	tx: Tx,
	ticketId: string,
	why: string,
	now = new Date(),
	policies?: LoadedPolicy[]
): Promise<AppliedSla | null> {
	const t = await tx.ticket.findUnique({
		where: { id: ticketId },
		select: {
			...slaSelect,
			status: true,
			priority: true,
			createdAt: true,
			updatedAt: true,
			firstResponseAt: true,
			resolvedAt: true,
			typeId: true,
			groupId: true,
			categoryId: true,
			requester: { select: { department: true } },
			slaFired: { select: { escalationId: true } }
		}
	});
	if (!t) return null;
	const all = policies ?? (await loadPolicies(tx));
	const policy = matchPolicy(
		{
			typeId: t.typeId,
			groupId: t.groupId,
			categoryId: t.categoryId,
			department: t.requester.department
		},
		all
	);
	const before = slaFieldsOf(t);
	const facts = clockFactsOf(t);
	const fired = new Set(t.slaFired.map((f) => f.escalationId));
	const after = computeSla(facts, before, policy, now, fired);
	// Recomputing a running clock lands on the same instants give or take float rounding: keep
	// the stored ones then, so nothing "moves" and no history row is written.
	for (const k of [
		'firstResponseDueAt',
		'resolutionDueAt',
		'slaAtRiskAt',
		'slaNextCheckAt'
	] as const) {
		const a = after[k];
		const b = before[k];
		if (a && b && Math.abs(a.getTime() - b.getTime()) < 1000) after[k] = b;
	}

	const changed = (Object.keys(after) as (keyof SlaFields)[]).some((k) => {
		const a = after[k];
		const b = before[k];
		return a instanceof Date || b instanceof Date ? !same(a as Date, b as Date) : a !== b;
	});
	if (changed) {
		// SLA bookkeeping is not an edit: "updated" keeps meaning a person or rule changed it.
		await tx.ticket.update({
			where: { id: ticketId },
			data: { ...after, updatedAt: t.updatedAt },
			select: { id: true }
		});
	}
	const policyMoved = before.slaPolicyId !== after.slaPolicyId;
	const dueMoved =
		!same(before.firstResponseDueAt, after.firstResponseDueAt) ||
		!same(before.resolutionDueAt, after.resolutionDueAt);
	const pausedNow = !before.slaPausedAt && !!after.slaPausedAt && !!before.slaPolicyId;
	const resumed = !!before.slaPausedAt && !after.slaPausedAt && !!after.slaPolicyId;
	if (policyMoved || dueMoved || pausedNow || resumed) {
		const what = !after.slaPolicyId
			? 'no SLA policy applies'
			: pausedNow
				? `clock paused (${t.status.toLowerCase().replace('_', ' ')})`
				: resumed
					? 'clock resumed'
					: policyMoved
						? `policy ${policy!.name}`
						: 'due dates recalculated';
		await tx.ticketEvent.create({
			data: {
				ticketId,
				actorId: null,
				field: 'sla',
				fromValue: null,
				toValue: `${what} — ${why}${after.slaPolicyId ? `; ${dueText(after)}` : ''}`
			}
		});
	}
	return { before, after, policy, facts };
}

function dueText(s: SlaFields): string {
	const fmt = (d: Date | null) => (d ? d.toISOString() : '—');
	return `first response due ${fmt(s.firstResponseDueAt)}, resolution due ${fmt(s.resolutionDueAt)}`;
}

/**
 * The SLA columns of a ticket about to be created, and the history text, without reading the
 * ticket back: one query for the policies, one for the requester's department when a policy
 * names departments. Null when no policy applies (nothing to store or record).
 */
export async function slaForNewTicket(
	tx: Tx,
	t: Omit<MatchFacts, 'department'> & { requesterId: string } & Pick<
			TicketFacts,
			'status' | 'priority' | 'resolvedAt'
		>,
	now = new Date()
): Promise<{ fields: SlaFields; history: string } | null> {
	const policies = await loadPolicies(tx);
	if (!policies.length) return null;
	const needsDepartment = policies.some((p) => !p.isDefault && p.conditions.departments?.length);
	const department = needsDepartment
		? ((await tx.user.findUnique({ where: { id: t.requesterId }, select: { department: true } }))
				?.department ?? null)
		: null;
	const policy = matchPolicy({ ...t, department }, policies);
	if (!policy) return null;
	const fields = computeSla(
		{
			status: t.status,
			priority: t.priority,
			createdAt: now,
			firstResponseAt: null,
			resolvedAt: t.resolvedAt
		},
		{ ...EMPTY_SLA },
		policy,
		now
	);
	return { fields, history: `policy ${policy.name} — ticket created; ${dueText(fields)}` };
}
