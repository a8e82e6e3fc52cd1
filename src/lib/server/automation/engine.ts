import { STAFF_ROLES } from '$lib/permissions';
import { db } from '../db/client';
import { notify } from '../identity/notifications';
import { runningJobs } from '../jobs';
import { nudgeMail } from '../mail/outbound';
import { log } from '../log';
import { applySla, type LoadedPolicy } from '../sla/apply';
import { publishEntry, publishUpdated } from '../tickets/live';
import { statusTimestamps } from '../tickets/update';
import type { TicketStatusName } from '../tickets/schemas';
import { ActionSkipped, applyAction } from './actions';
import { matches, type RuleEvent } from './conditions';
import { actionSchema, conditionsSchema, type Trigger } from './schemas';
import {
	emptyEffects,
	loadWorkingTicket,
	type LoadedRule,
	type RunEffects,
	type Tx,
	type WorkingTicket
} from './state';
import { queueDeliveries, WEBHOOK_JOB } from './webhooks';

/** Loop guard: a rule acts on one ticket at most this often within GUARD_MINUTES. */
export const GUARD_RUNS = 5;
export const GUARD_MINUTES = 10;
const SLA_COLUMNS = ['status', 'priority', 'typeId', 'categoryId', 'groupId'];

/** The active rules of one trigger, in order; a rule whose JSON no longer parses is skipped. */
export async function loadRules(tx: Tx, trigger: Trigger): Promise<LoadedRule[]> {
	const rows = await tx.automationRule.findMany({
		where: { trigger, active: true },
		orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
		select: {
			id: true,
			name: true,
			trigger: true,
			stopProcessing: true,
			conditions: true,
			actions: true,
			timeAnchor: true,
			timeMinutes: true
		}
	});
	return rows.flatMap((r) => {
		const conditions = conditionsSchema.safeParse(r.conditions);
		const actions = actionSchema.array().safeParse(r.actions);
		if (!conditions.success || !actions.success) {
			log.warn({ rule: r.id }, 'automation: rule does not parse; skipped');
			return [];
		}
		return [{ ...r, conditions: conditions.data, actions: actions.data }];
	});
}

export interface RunOutcome {
	work: WorkingTicket;
	before: WorkingTicket;
	fx: RunEffects;
	actorId: string | null;
}

/**
 * Runs `rules` (by default the active rules of `trigger`) against one ticket inside the caller's
 * transaction, so rules act exactly once with the change that woke them and never on a change
 * that is rolled back. Rules see each other's changes in order; a rule marked "stop processing"
 * ends the run. What rules change never wakes rules again (no cascades), and a rule that has
 * acted on the same ticket GUARD_RUNS times within GUARD_MINUTES is skipped — so a webhook whose
 * receiver updates the ticket through the API cannot loop either. Null when no rule applied.
 */
export async function runRules(
	tx: Tx,
	ticketId: string,
	trigger: Trigger,
	event: Omit<RuleEvent, 'now'> & { now?: Date; actorId?: string | null },
	rules?: LoadedRule[],
	/** SLA policies already loaded (time-rule passes load them once). */
	policies?: LoadedPolicy[]
): Promise<RunOutcome | null> {
	const list = rules ?? (await loadRules(tx, trigger));
	if (!list.length) return null;
	const work = await loadWorkingTicket(tx, ticketId);
	if (!work) return null;
	const before: WorkingTicket = { ...work, tags: [...work.tags] };
	const now = event.now ?? new Date();
	const ev: RuleEvent = { ...event, now };
	const fx = emptyEffects();
	const matching = list.filter((r) => matches(r.conditions, work, ev));
	if (!matching.length) return null;
	// A new ticket has no runs yet, and time rules act once per status period anyway.
	const recent =
		trigger === 'UPDATED' || trigger === 'REPLIED'
			? await recentRuns(
					tx,
					ticketId,
					matching.map((r) => r.id),
					now
				)
			: new Map<string, number>();

	for (const rule of list) {
		// Later rules see earlier rules' changes: evaluate again against the working copy.
		if (!matches(rule.conditions, work, ev)) continue;
		if ((recent.get(rule.id) ?? 0) >= GUARD_RUNS) {
			fx.runs.push(run(rule, ticketId, trigger, 'skipped', loopText, now));
			continue;
		}
		const done: string[] = [];
		const failed: string[] = [];
		for (const action of rule.actions) {
			try {
				const what = await applyAction(tx, work, action, rule, fx, now);
				if (what) done.push(what);
			} catch (err) {
				if (!(err instanceof ActionSkipped)) throw err;
				failed.push(`${action.type} skipped: ${err.message}`);
			}
		}
		const summary = [...done, ...failed].join('; ') || 'nothing to change';
		fx.runs.push(run(rule, ticketId, trigger, failed.length ? 'failed' : 'done', summary, now));
		if (rule.stopProcessing) break;
	}
	await write(tx, work, before, fx, trigger, ev, policies);
	return { work, before, fx, actorId: event.actorId ?? null };
}

const loopText = `loop guard: acted ${GUARD_RUNS} times on this ticket within ${GUARD_MINUTES} min`;

const run = (
	rule: LoadedRule,
	ticketId: string,
	trigger: Trigger,
	outcome: 'done' | 'failed' | 'skipped',
	summary: string,
	now: Date
) => ({ ruleId: rule.id, ticketId, trigger, outcome, summary, createdAt: now });

async function recentRuns(tx: Tx, ticketId: string, ruleIds: string[], now: Date) {
	const rows = await tx.automationRun.groupBy({
		by: ['ruleId'],
		where: {
			ticketId,
			ruleId: { in: ruleIds },
			outcome: { not: 'skipped' },
			createdAt: { gt: new Date(now.getTime() - GUARD_MINUTES * 60_000) }
		},
		_count: { _all: true }
	});
	return new Map(rows.map((r) => [r.ruleId, r._count._all]));
}

async function write(
	tx: Tx,
	work: WorkingTicket,
	before: WorkingTicket,
	fx: RunEffects,
	trigger: Trigger,
	ev: RuleEvent,
	policies?: LoadedPolicy[]
) {
	const now = ev.now;
	if (fx.changed.size || fx.entries.length) {
		const data: Record<string, unknown> = { updatedAt: now };
		for (const column of fx.changed.keys()) {
			data[column] = (work as unknown as Record<string, unknown>)[column];
		}
		if (fx.changed.has('status')) {
			Object.assign(
				data,
				statusTimestamps(before.status as TicketStatusName, work.status as TicketStatusName, now)
			);
		}
		if (fx.changed.size) data.version = { increment: 1 };
		await tx.ticket.update({ where: { id: work.id }, data });
	}
	if (fx.history.length) await tx.ticketEvent.createMany({ data: fx.history });
	if (fx.runs.length) await tx.automationRun.createMany({ data: fx.runs });
	const slaWhy = [...fx.changed.keys()]
		.filter((c) => SLA_COLUMNS.includes(c))
		.map((c) => `${c.replace(/Id$/, '')} changed by an automation rule`);
	if (slaWhy.length) await applySla(tx, work.id, slaWhy.join(', '), now, policies);
	if (fx.webhookCalls.length) {
		fx.webhooks = await queueDeliveries(tx, work.id, trigger, fx.webhookCalls, ev.changes, now);
	}
}

/**
 * After the transaction committed: notifications (resolved to people now, with the ticket as the
 * rules left it), live updates for the lists and pages, and a nudge to the webhook job. Callers
 * that announce the ticket's final state themselves pass `announce: false` (no second live update
 * or "assigned to you").
 */
export async function afterRules(
	outcome: RunOutcome | null,
	opts: { announce?: boolean } = {}
): Promise<void> {
	if (!outcome) return;
	const announce = opts.announce ?? true;
	const { work, before, fx } = outcome;
	const facts = {
		id: work.id,
		number: work.number,
		groupId: work.groupId,
		assigneeId: work.assigneeId,
		requesterId: work.requesterId
	};
	try {
		for (const notice of fx.notices) {
			for (const userId of await recipients(work, notice.recipients, notice.userIds)) {
				await notify(userId, notice.n);
			}
		}
		if (fx.changed.size && announce) {
			const fields = [...fx.changed.keys()].map((c) => c.replace(/Id$/, ''));
			await publishUpdated(facts, null, fields);
			if (before.groupId !== work.groupId || before.assigneeId !== work.assigneeId) {
				await publishUpdated(
					{ ...facts, groupId: before.groupId, assigneeId: before.assigneeId },
					null,
					['moved']
				);
			}
			if (work.assigneeId && fx.changed.has('assigneeId')) {
				await notify(work.assigneeId, {
					type: 'ticket.assigned',
					title: `#${work.number} was assigned to you`,
					body: work.subject,
					link: `/app/tickets/${work.number}`
				});
			}
		}
		for (const entry of fx.entries) await publishEntry(facts, null, entry.id, entry.kind);
		if (fx.webhooks) await runningJobs()?.send(WEBHOOK_JOB, {});
		if (fx.mailed) await nudgeMail();
	} catch (err) {
		// The rules' changes are committed; a lost notice must not fail the request that woke them.
		log.error({ err, ticket: work.id }, 'automation: delivering after commit failed');
	}
}

async function recipients(work: WorkingTicket, kinds: string[], userIds: string[]) {
	const who = new Set(userIds);
	if (kinds.includes('assignee') && work.assigneeId) who.add(work.assigneeId);
	if (kinds.includes('groupManager') && work.managerId) who.add(work.managerId);
	if (kinds.includes('requester')) who.add(work.requesterId);
	if (kinds.includes('group') && work.groupId) {
		const members = await db().groupMember.findMany({
			where: { groupId: work.groupId, user: { active: true, role: { in: [...STAFF_ROLES] } } },
			select: { userId: true }
		});
		for (const m of members) who.add(m.userId);
	}
	if (kinds.includes('watchers')) {
		const watchers = await db().ticketWatcher.findMany({
			where: { ticketId: work.id, user: { active: true } },
			select: { userId: true }
		});
		for (const w of watchers) who.add(w.userId);
	}
	return [...who];
}
