import { z } from 'zod';
import { db } from '../db/client';
import { log } from '../log';
import { notify } from '../identity/notifications';
import { publishUpdated } from '../tickets/live';
import { applySla, loadPolicies, type LoadedPolicy } from './apply';
import { dueEscalations, slaState, type EscalationLevel } from './timers';

const actionsSchema = z.object({
	notify: z.array(z.enum(['assignee', 'groupManager', 'group'])).optional(),
	setPriority: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).optional(),
	/** One step up (Low → Medium → High → Critical). */
	raisePriority: z.boolean().optional(),
	assignGroupId: z.string().uuid().optional()
});
export type EscalationActions = z.infer<typeof actionsSchema>;

export interface CheckResult {
	checked: number;
	fired: number;
	ms: number;
}

/**
 * One pass of the SLA checker (the `sla.check` job, every minute): the tickets whose
 * `slaNextCheckAt` has come, found through its index, never by scanning open tickets. For each:
 * recompute the clock, fire the escalation levels that came due (each once per ticket: the
 * SlaEscalationFired primary key, written in the same transaction as the actions), and tell live
 * lists when the state changed (at risk, breached). Each ticket is locked with SKIP LOCKED, so
 * two instances running a pass at once share the work instead of doing it twice.
 */
export async function runSlaCheck(now = new Date(), batch = 200): Promise<CheckResult> {
	const started = Date.now();
	const policies = await loadPolicies(db());
	const seen = new Set<string>();
	let fired = 0;
	for (;;) {
		const due = await db().$queryRaw<{ id: string }[]>`
			SELECT id FROM "Ticket" WHERE "slaNextCheckAt" <= ${now}
			ORDER BY "slaNextCheckAt" LIMIT ${batch}`;
		const fresh = due.filter((d) => !seen.has(d.id));
		if (!fresh.length) break;
		for (const { id } of fresh) {
			seen.add(id);
			try {
				fired += await checkTicket(id, now, policies);
			} catch (err) {
				// One ticket's failure must not stop the pass; it stays due and is tried next time.
				log.error({ err, ticketId: id }, 'sla check failed for a ticket');
			}
		}
		if (due.length < batch) break;
	}
	const result = { checked: seen.size, fired, ms: Date.now() - started };
	if (result.checked) log.info(result, 'sla check');
	return result;
}

async function checkTicket(id: string, now: Date, policies: LoadedPolicy[]): Promise<number> {
	const outcome = await db().$transaction(async (tx) => {
		const [locked] = await tx.$queryRaw<{ id: string }[]>`
			SELECT id FROM "Ticket" WHERE id = ${id}::uuid AND "slaNextCheckAt" <= ${now}
			FOR UPDATE SKIP LOCKED`;
		if (!locked) return null;
		const applied = await applySla(tx, id, 'SLA check', now, policies);
		if (!applied?.policy) return null;
		const { facts, after, policy } = applied;
		const firedBefore = await tx.slaEscalationFired.findMany({
			where: { ticketId: id },
			select: { escalationId: true }
		});
		const levels = dueEscalations(
			facts,
			after,
			policy,
			now,
			new Set(firedBefore.map((f) => f.escalationId))
		);
		const notices: { userIds: string[]; level: number }[] = [];
		let changedPriority = false;
		for (const level of levels) {
			const inserted = await tx.$executeRaw`
				INSERT INTO "SlaEscalationFired" ("ticketId", "escalationId", "firedAt")
				VALUES (${id}::uuid, ${level.id}::uuid, ${now}) ON CONFLICT DO NOTHING`;
			if (!inserted) continue;
			const n = policy.escalations.indexOf(level) + 1;
			const done = await runActions(tx, id, level, n, policy.name);
			changedPriority ||= done.priority;
			notices.push({ userIds: done.notify, level: n });
		}
		// Fired levels (and a raised priority) move the next check; recompute once more.
		if (levels.length) await applySla(tx, id, 'escalation', now, policies);
		const t = await tx.ticket.findUniqueOrThrow({
			where: { id },
			select: {
				id: true,
				number: true,
				subject: true,
				groupId: true,
				assigneeId: true,
				requesterId: true
			}
		});
		const stateBefore = slaState(facts, applied.before, new Date(now.getTime() - 1));
		const stateAfter = slaState(facts, after, now);
		return { t, notices, changedPriority, stateChanged: stateBefore !== stateAfter };
	});
	if (!outcome) return 0;
	const { t, notices } = outcome;
	for (const { userIds, level } of notices) {
		for (const userId of userIds) {
			await notify(userId, {
				type: 'sla.escalation',
				title: `#${t.number} escalated (level ${level})`,
				body: t.subject,
				link: `/app/tickets/${t.number}`
			});
		}
	}
	if (notices.length || outcome.stateChanged) {
		await publishUpdated(t, null, ['sla', ...(outcome.changedPriority ? ['priority'] : [])]);
	}
	return notices.length;
}

type Tx = Parameters<Parameters<ReturnType<typeof db>['$transaction']>[0]>[0];

/** Runs one level's actions; returns whom to notify (after commit) and whether priority moved. */
async function runActions(
	tx: Tx,
	ticketId: string,
	level: EscalationLevel & { actions?: unknown },
	n: number,
	policyName: string
): Promise<{ notify: string[]; priority: boolean }> {
	const row = await tx.slaEscalation.findUniqueOrThrow({
		where: { id: level.id },
		select: { actions: true }
	});
	const actions = actionsSchema.parse(row.actions ?? {});
	const t = await tx.ticket.findUniqueOrThrow({
		where: { id: ticketId },
		select: {
			priority: true,
			assigneeId: true,
			groupId: true,
			group: { select: { managerId: true, members: { select: { userId: true } } } }
		}
	});
	const done: string[] = [];
	const who = new Set<string>();
	for (const target of actions.notify ?? []) {
		if (target === 'assignee' && t.assigneeId) who.add(t.assigneeId);
		if (target === 'groupManager' && t.group?.managerId) who.add(t.group.managerId);
		if (target === 'group') for (const m of t.group?.members ?? []) who.add(m.userId);
	}
	if (who.size) done.push(`notified ${actions.notify!.join(', ')}`);
	let priority = false;
	const data: { priority?: typeof t.priority; groupId?: string; assigneeId?: null } = {};
	const ladder = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
	const raised = actions.raisePriority
		? ladder[Math.min(ladder.indexOf(t.priority) + 1, ladder.length - 1)]
		: undefined;
	const nextPriority = actions.setPriority ?? raised;
	if (nextPriority && nextPriority !== t.priority) {
		data.priority = nextPriority;
		priority = true;
		done.push(`priority ${t.priority} → ${nextPriority}`);
	}
	if (actions.assignGroupId && actions.assignGroupId !== t.groupId) {
		const group = await tx.group.findUnique({
			where: { id: actions.assignGroupId },
			select: { name: true }
		});
		if (group) {
			data.groupId = actions.assignGroupId;
			data.assigneeId = null;
			done.push(`reassigned to ${group.name}`);
		}
	}
	if (Object.keys(data).length) {
		await tx.ticket.update({
			where: { id: ticketId },
			data: { ...data, version: { increment: 1 } },
			select: { id: true }
		});
	}
	const metric = level.metric === 'FIRST_RESPONSE' ? 'first response' : 'resolution';
	const when =
		level.afterBreachMinutes !== null
			? `${level.afterBreachMinutes} min after the ${metric} breach`
			: `${level.percent}% of the ${metric} target`;
	await tx.ticketEvent.create({
		data: {
			ticketId,
			actorId: null,
			field: 'escalation',
			toValue: `${policyName}, level ${n} (${when}): ${done.join('; ') || 'nothing to do'}`
		}
	});
	return { notify: [...who], priority };
}
