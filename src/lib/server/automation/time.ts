import { db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { log } from '../log';
import { loadPolicies, type LoadedPolicy } from '../sla/apply';
import { afterRules, loadRules, runRules, type RunOutcome } from './engine';
import type { TimeAnchor } from './schemas';
import type { LoadedRule } from './state';

const BATCH = 100;
/** Tickets looked at per rule and pass; the rest wait for the next pass (a minute later). */
const PER_PASS = 2_000;

const ANCHOR_COLUMN: Record<TimeAnchor, Prisma.Sql> = {
	created: Prisma.sql`t."createdAt"`,
	statusChanged: Prisma.sql`t."statusChangedAt"`,
	updated: Prisma.sql`t."updatedAt"`
};

interface TimeRule extends LoadedRule {
	timeAnchor: TimeAnchor;
	timeMinutes: number;
}

export interface TimePass {
	rules: number;
	checked: number;
	acted: number;
	ms: number;
}

/**
 * One pass of the time rules (the `automation.time` job, every minute). For each active rule,
 * the tickets whose anchor (created, status changed, updated) is at least the rule's minutes old
 * and that the rule has not yet looked at in their current status period — or not since they
 * last changed. They are taken in batches locked FOR UPDATE SKIP LOCKED, the rule runs on each
 * inside the batch's transaction and the look is recorded there too (AutomationTimeCheck), so two
 * instances share the work and a rule acts on a ticket once per status period.
 */
export async function runTimeRules(now = new Date()): Promise<TimePass> {
	const started = Date.now();
	const rules = (await loadRules(db(), 'TIME')).filter(
		(r): r is TimeRule => !!r.timeAnchor && !!r.timeMinutes
	);
	const pass: TimePass = { rules: 0, checked: 0, acted: 0, ms: 0 };
	const policies = rules.length ? await loadPolicies(db()) : [];
	for (const rule of rules) {
		pass.rules++;
		try {
			const { checked, acted } = await runTimeRule(rule, now, policies);
			pass.checked += checked;
			pass.acted += acted;
		} catch (err) {
			log.error({ err, rule: rule.id }, 'automation: time rule pass failed');
		}
	}
	pass.ms = Date.now() - started;
	if (pass.checked) log.info(pass, 'automation time rules');
	return pass;
}

/** The statuses a rule demands ("status is one of…" under "all"), to narrow the query. */
function statusFilter(rule: LoadedRule): Prisma.Sql {
	if (rule.conditions.match !== 'all') return Prisma.empty;
	const c = rule.conditions.conditions.find((x) => x.field === 'status' && x.op === 'in');
	if (!c || !Array.isArray(c.value)) return Prisma.empty;
	// Compared as the enum (not as text) so the (status, statusChangedAt) index applies.
	return Prisma.sql`AND t.status = ANY(${c.value as string[]}::"TicketStatus"[])`;
}

async function runTimeRule(rule: TimeRule, now: Date, policies: LoadedPolicy[]) {
	const anchor = ANCHOR_COLUMN[rule.timeAnchor];
	const due = new Date(now.getTime() - rule.timeMinutes * 60_000);
	let cursor: Prisma.Sql = Prisma.empty;
	let checked = 0;
	let acted = 0;
	while (checked < PER_PASS) {
		const { rows, outcomes, last } = await db().$transaction(async (tx) => {
			const rows = await tx.$queryRaw<{ id: string; period: Date; version: number; at: Date }[]>`
				SELECT t.id, t."statusChangedAt" AS period, t.version, ${anchor} AS at
				FROM "Ticket" t
				WHERE ${anchor} <= ${due} AND t."mergedIntoId" IS NULL ${statusFilter(rule)} ${cursor}
					AND NOT EXISTS (
						SELECT 1 FROM "AutomationTimeCheck" c
						WHERE c."ruleId" = ${rule.id}::uuid AND c."ticketId" = t.id
							AND c.period = t."statusChangedAt" AND (c.matched OR c.version = t.version))
				ORDER BY ${anchor}, t.id
				LIMIT ${BATCH}
				FOR UPDATE OF t SKIP LOCKED`;
			const outcomes: RunOutcome[] = [];
			const checks: { ticketId: string; period: Date; matched: boolean; version: number }[] = [];
			for (const row of rows) {
				const outcome = await runRules(tx, row.id, 'TIME', { now }, [rule], policies);
				if (outcome) outcomes.push(outcome);
				checks.push({
					ticketId: row.id,
					period: row.period,
					matched: !!outcome,
					version: row.version
				});
			}
			if (checks.length) {
				await tx.$executeRaw`
					INSERT INTO "AutomationTimeCheck" ("ruleId", "ticketId", period, matched, version, "checkedAt")
					SELECT ${rule.id}::uuid, c.ticket, c.period, c.matched, c.version, ${now}
					FROM unnest(${checks.map((c) => c.ticketId)}::uuid[],
						${checks.map((c) => c.period.toISOString())}::timestamp[], ${checks.map((c) => c.matched)}::boolean[],
						${checks.map((c) => c.version)}::int[]) AS c(ticket, period, matched, version)
					ON CONFLICT ("ruleId", "ticketId", period)
					DO UPDATE SET matched = EXCLUDED.matched, version = EXCLUDED.version,
						"checkedAt" = EXCLUDED."checkedAt"`;
			}
			return { rows, outcomes, last: rows.at(-1) };
		});
		for (const outcome of outcomes) await afterRules(outcome);
		checked += rows.length;
		acted += outcomes.length;
		if (rows.length < BATCH || !last) break;
		cursor = Prisma.sql`AND (${anchor}, t.id) > (${last.at}, ${last.id}::uuid)`;
	}
	return { checked, acted };
}
