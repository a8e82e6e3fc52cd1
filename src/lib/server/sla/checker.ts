import { z } from 'zod';
import { db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { log } from '../log';
import { notify } from '../identity/notifications';
import { publishUpdated } from '../tickets/live';
import { nudgeMail, queueTicketMail, sendingAccounts } from '../mail/outbound';
import { clockFactsOf, loadPolicies, matchPolicy, slaFieldsOf, type LoadedPolicy } from './apply';
import {
	computeSla,
	dueEscalations,
	slaState,
	type EscalationLevel,
	type Priority,
	type SlaFields,
	type TicketFacts
} from './timers';

export const actionsSchema = z.object({
	notify: z.array(z.enum(['assignee', 'groupManager', 'group'])).optional(),
	setPriority: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).optional(),
	/** One step up (Low → Medium → High → Critical). */
	raisePriority: z.boolean().optional(),
	assignGroupId: z.uuid().optional()
});
export type EscalationActions = z.infer<typeof actionsSchema>;

export interface CheckResult {
	checked: number;
	fired: number;
	ms: number;
}

const BATCH = 100;
const LADDER: readonly Priority[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/**
 * One pass of the SLA checker (the `sla.check` job, every minute): the tickets whose
 * `slaNextCheckAt` has come, found through its index, never by scanning open tickets. They are
 * taken in batches, each batch locked `FOR UPDATE SKIP LOCKED` in one transaction, so two
 * instances running a pass at once share the work instead of doing it twice. For each ticket: the
 * clock recomputed, the escalation levels that came due fired (each once per ticket: the
 * SlaEscalationFired primary key, written in the same transaction as the actions), history rows,
 * and after commit the notifications and a live update when the state changed.
 */
export async function runSlaCheck(now = new Date(), batch = BATCH): Promise<CheckResult> {
	const started = Date.now();
	const policies = await loadPolicies(db());
	const actions = await loadActions(policies);
	let checked = 0;
	let fired = 0;
	const seen = new Set<string>();
	for (;;) {
		let outcome: BatchOutcome;
		try {
			outcome = await db().$transaction((tx) => checkBatch(tx, now, batch, policies, actions));
		} catch (err) {
			// The tickets stay due; the next pass tries again.
			log.error({ err }, 'sla check batch failed');
			break;
		}
		checked += outcome.checked;
		fired += outcome.notices.length;
		await deliver(outcome);
		// A ticket still due after its check (it should not be) must not keep the pass going.
		const again = outcome.ids.filter((id) => seen.has(id)).length;
		for (const id of outcome.ids) seen.add(id);
		if (outcome.locked < batch || again === outcome.ids.length) break;
	}
	const result = { checked, fired, ms: Date.now() - started };
	if (result.checked) log.info(result, 'sla check');
	return result;
}

type Tx = Prisma.TransactionClient;

interface Row {
	id: string;
	number: number;
	subject: string;
	status: TicketFacts['status'];
	priority: Priority;
	createdAt: Date;
	firstResponseAt: Date | null;
	resolvedAt: Date | null;
	typeId: string | null;
	groupId: string | null;
	categoryId: string | null;
	assigneeId: string | null;
	requesterId: string;
	department: string | null;
	managerId: string | null;
	slaPolicyId: string | null;
	firstResponseDueAt: Date | null;
	resolutionDueAt: Date | null;
	slaAtRiskAt: Date | null;
	slaClockAt: Date | null;
	slaPausedAt: Date | null;
	firstResponseElapsedMin: number | null;
	resolutionElapsedMin: number | null;
	slaNextCheckAt: Date | null;
}

interface Notice {
	ticket: Row;
	level: number;
	userIds: string[];
	/** The "group" action: its members are added before delivery. */
	group?: string | null;
	/** What happened, for the mail. */
	text: string;
}

interface BatchOutcome {
	ids: string[];
	locked: number;
	checked: number;
	notices: Notice[];
	changed: { ticket: Row; fields: string[] }[];
	mailed?: boolean;
}

async function loadActions(policies: LoadedPolicy[]): Promise<Map<string, EscalationActions>> {
	const ids = policies.flatMap((p) => p.escalations.map((e) => e.id));
	if (!ids.length) return new Map();
	const rows = await db().slaEscalation.findMany({
		where: { id: { in: ids } },
		select: { id: true, actions: true }
	});
	return new Map(rows.map((r) => [r.id, actionsSchema.parse(r.actions ?? {})]));
}

async function checkBatch(
	tx: Tx,
	now: Date,
	batch: number,
	policies: LoadedPolicy[],
	actions: Map<string, EscalationActions>
): Promise<BatchOutcome> {
	const rows = await tx.$queryRaw<Row[]>`
		SELECT t.id, t.number, t.subject, t.status::text AS status, t.priority::text AS priority,
			t."createdAt", t."firstResponseAt", t."resolvedAt", t."typeId", t."groupId",
			t."categoryId", t."assigneeId", t."requesterId", u.department, g."managerId",
			t."slaPolicyId", t."firstResponseDueAt", t."resolutionDueAt", t."slaAtRiskAt",
			t."slaClockAt", t."slaPausedAt", t."firstResponseElapsedMin", t."resolutionElapsedMin",
			t."slaNextCheckAt"
		FROM "Ticket" t
		JOIN "User" u ON u.id = t."requesterId"
		LEFT JOIN "Group" g ON g.id = t."groupId"
		WHERE t."slaNextCheckAt" <= ${now}
		ORDER BY t."slaNextCheckAt"
		LIMIT ${batch}
		FOR UPDATE OF t SKIP LOCKED`;
	if (!rows.length) return { ids: [], locked: 0, checked: 0, notices: [], changed: [] };

	const ids = rows.map((r) => r.id);
	const firedRows = await tx.slaEscalationFired.findMany({
		where: { ticketId: { in: ids } },
		select: { ticketId: true, escalationId: true }
	});
	const firedBy = new Map<string, Set<string>>();
	for (const f of firedRows) {
		const set = firedBy.get(f.ticketId) ?? new Set<string>();
		set.add(f.escalationId);
		firedBy.set(f.ticketId, set);
	}
	const groupIds = new Set<string>();
	const updates: { row: Row; sla: SlaFields; priority: Priority; groupId: string | null }[] = [];
	const events: Prisma.TicketEventCreateManyInput[] = [];
	const newFired: { ticketId: string; escalationId: string }[] = [];
	const notices: Notice[] = [];
	const changed: BatchOutcome['changed'] = [];
	let mailedAny = false;

	for (const row of rows) {
		const policy = matchPolicy(row, policies);
		const facts = clockFactsOf(row);
		const before = slaFieldsOf(row);
		const fired = firedBy.get(row.id) ?? new Set<string>();
		let sla = computeSla(facts, before, policy, now, fired);
		let priority = row.priority;
		let groupId = row.groupId;
		let assigneeId = row.assigneeId;
		const fields = new Set<string>();
		if (policy) {
			const levels: EscalationLevel[] = dueEscalations(facts, sla, policy, now, fired);
			for (const level of levels) {
				fired.add(level.id);
				newFired.push({ ticketId: row.id, escalationId: level.id });
				const n = policy.escalations.indexOf(level) + 1;
				const a = actions.get(level.id) ?? {};
				const done: string[] = [];
				const who = new Set<string>();
				for (const target of a.notify ?? []) {
					if (target === 'assignee' && assigneeId) who.add(assigneeId);
					if (target === 'groupManager' && row.managerId) who.add(row.managerId);
				}
				if (a.notify?.length) done.push(`notified ${a.notify.join(', ')}`);
				const raised = a.raisePriority
					? LADDER[Math.min(LADDER.indexOf(priority) + 1, LADDER.length - 1)]!
					: undefined;
				const next = a.setPriority ?? raised;
				if (next && next !== priority) {
					done.push(`priority ${priority} → ${next}`);
					priority = next;
					fields.add('priority');
				}
				if (a.assignGroupId && a.assignGroupId !== groupId) {
					groupId = a.assignGroupId;
					assigneeId = null;
					done.push('reassigned to another group');
					fields.add('group');
				}
				const metric = level.metric === 'FIRST_RESPONSE' ? 'first response' : 'resolution';
				const when =
					level.afterBreachMinutes !== null
						? `${level.afterBreachMinutes} min after the ${metric} breach`
						: `${level.percent}% of the ${metric} target`;
				events.push({
					ticketId: row.id,
					actorId: null,
					field: 'escalation',
					toValue: `${policy.name}, level ${n} (${when}): ${done.join('; ') || 'nothing to do'}`,
					createdAt: now
				});
				notices.push({
					ticket: row,
					level: n,
					userIds: [...who],
					group: a.notify?.includes('group') ? groupId : null,
					text: `SLA escalation — ${policy.name}, level ${n} (${when}): ${done.join('; ') || 'nothing to do'}.`
				});
			}
			if (levels.length) {
				// Fired levels and a new priority move the clock: recompute from the same instant.
				sla = computeSla({ ...facts, priority }, sla, policy, now, fired);
				if (priority !== row.priority) {
					events.push({
						ticketId: row.id,
						actorId: null,
						field: 'sla',
						toValue: `due dates recalculated — escalation raised the priority; resolution due ${sla.resolutionDueAt?.toISOString() ?? '—'}`,
						createdAt: now
					});
				}
			}
		}
		const stateBefore = slaState(facts, before, new Date(now.getTime() - 60_000));
		const stateAfter = slaState({ ...facts, priority }, sla, now);
		if (stateBefore !== stateAfter) fields.add('sla');
		if (fields.size || notices.some((x) => x.ticket === row)) {
			changed.push({ ticket: { ...row, groupId, assigneeId }, fields: [...fields, 'sla'] });
		}
		updates.push({ row: { ...row, assigneeId }, sla, priority, groupId });
	}

	if (newFired.length) {
		await tx.slaEscalationFired.createMany({
			data: newFired.map((f) => ({ ...f, firedAt: now }))
		});
	}
	await writeUpdates(tx, updates);
	if (events.length) await tx.ticketEvent.createMany({ data: events });

	// Whole groups to notify ("group" action, the group the ticket is in after the level's own
	// actions): their members, read once per batch.
	for (const n of notices) if (n.group) groupIds.add(n.group);
	if (groupIds.size) {
		const members = await tx.groupMember.findMany({
			where: { groupId: { in: [...groupIds] } },
			select: { groupId: true, userId: true }
		});
		for (const n of notices) {
			if (!n.group) continue;
			const extra = members.filter((m) => m.groupId === n.group).map((m) => m.userId);
			n.userIds = [...new Set([...n.userIds, ...extra])];
		}
	}
	// The same people hear about it by mail (when the helpdesk sends mail).
	const notified = notices.filter((n) => n.userIds.length);
	const accounts = notified.length ? await sendingAccounts(tx) : [];
	for (const n of accounts.length ? notified : []) {
		const mailed = await queueTicketMail(
			tx,
			{ kind: 'sla.warning', ticketId: n.ticket.id, userIds: n.userIds, message: n.text },
			accounts
		);
		mailedAny ||= mailed > 0;
	}
	return { ids, locked: rows.length, checked: rows.length, notices, changed, mailed: mailedAny };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** One UPDATE for the whole batch (unnest of arrays: one row per ticket). */
async function writeUpdates(
	tx: Tx,
	updates: { row: Row; sla: SlaFields; priority: Priority; groupId: string | null }[]
) {
	if (!updates.length) return;
	const col = <T>(f: (u: (typeof updates)[number]) => T) => updates.map(f);
	await tx.$executeRaw`
		UPDATE "Ticket" t SET
			"slaPolicyId" = v.policy::uuid,
			"firstResponseDueAt" = v.fr_due::timestamp,
			"resolutionDueAt" = v.res_due::timestamp,
			"slaAtRiskAt" = v.risk::timestamp,
			"slaClockAt" = v.clock::timestamp,
			"slaPausedAt" = v.paused::timestamp,
			"firstResponseElapsedMin" = v.fr_el,
			"resolutionElapsedMin" = v.res_el,
			"slaNextCheckAt" = v.next_check::timestamp,
			priority = v.priority::"TicketPriority",
			"groupId" = v.group_id::uuid,
			"assigneeId" = v.assignee::uuid,
			version = t.version + CASE WHEN t.priority::text <> v.priority
				OR t."groupId" IS DISTINCT FROM v.group_id::uuid THEN 1 ELSE 0 END
		FROM unnest(
			${col((u) => u.row.id)}::uuid[], ${col((u) => u.sla.slaPolicyId)}::text[],
			${col((u) => iso(u.sla.firstResponseDueAt))}::text[],
			${col((u) => iso(u.sla.resolutionDueAt))}::text[],
			${col((u) => iso(u.sla.slaAtRiskAt))}::text[], ${col((u) => iso(u.sla.slaClockAt))}::text[],
			${col((u) => iso(u.sla.slaPausedAt))}::text[],
			${col((u) => u.sla.firstResponseElapsedMin)}::float8[],
			${col((u) => u.sla.resolutionElapsedMin)}::float8[],
			${col((u) => iso(u.sla.slaNextCheckAt))}::text[], ${col((u) => u.priority)}::text[],
			${col((u) => u.groupId)}::text[], ${col((u) => u.row.assigneeId)}::text[]
		) AS v(id, policy, fr_due, res_due, risk, clock, paused, fr_el, res_el, next_check, priority,
			group_id, assignee)
		WHERE t.id = v.id`;
}

/** After commit: notifications for fired levels, live updates for changed tickets. */
async function deliver(outcome: BatchOutcome) {
	for (const { ticket, level, userIds } of outcome.notices) {
		for (const userId of userIds) {
			await notify(userId, {
				type: 'sla.escalation',
				title: `#${ticket.number} escalated (level ${level})`,
				body: ticket.subject,
				link: `/app/tickets/${ticket.number}`
			});
		}
	}
	for (const { ticket, fields } of outcome.changed) {
		await publishUpdated(ticket, null, [...new Set(fields)]);
	}
	if (outcome.mailed) await nudgeMail();
}
