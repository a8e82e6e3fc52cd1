import { Prisma } from '../db/generated/client';
import type { SLA_STATES } from './schemas';

/**
 * The SLA in the list's SQL (alias t): the state filter, mirroring `slaStateOf` in $lib/sla, and
 * the "SLA due" sort key, mirroring its `nextDue`.
 */
const sql = Prisma.sql;

const frBreached = sql`(t."firstResponseDueAt" < COALESCE(t."firstResponseAt", now()))`;
const resBreached = sql`((t.status IN ('NEW', 'OPEN') AND t."resolutionDueAt" < now()) OR (t.status IN ('RESOLVED', 'CLOSED') AND t."resolvedAt" > t."resolutionDueAt"))`;
const breached = sql`(t."slaPolicyId" IS NOT NULL AND (${frBreached} OR ${resBreached}))`;
const running = sql`t."slaPolicyId" IS NOT NULL AND t.status IN ('NEW', 'OPEN') AND NOT ${breached}`;

export const SLA_SQL: Record<(typeof SLA_STATES)[number], Prisma.Sql> = {
	breached,
	at_risk: sql`(${running} AND t."slaAtRiskAt" <= now())`,
	on_track: sql`(${running} AND (t."slaAtRiskAt" IS NULL OR t."slaAtRiskAt" > now()))`,
	paused: sql`(t."slaPolicyId" IS NOT NULL AND t.status IN ('PENDING', 'ON_HOLD') AND NOT ${breached})`,
	met: sql`(t."slaPolicyId" IS NOT NULL AND t.status IN ('RESOLVED', 'CLOSED') AND NOT ${breached})`
};

/** No due to sort by: no policy, or the ticket is Resolved/Closed (met or not, it is done). */
const noDue = sql`t."slaPolicyId" IS NULL OR t."resolutionDueAt" IS NULL OR t.status IN ('RESOLVED', 'CLOSED')`;

/**
 * "SLA due", soonest first, as two never-null keys (a row comparison with NULLs would break the
 * keyset cursor): a bucket — 0 the clock runs (New, Open), 1 paused (Pending, On hold), 2 no due
 * (no policy, or done) — then the next due instant: the first-response due while it is
 * outstanding (and earlier), else the resolution due. Paused tickets keep the instants of their
 * last running moment, so among themselves they sort by how soon they would be due had they
 * kept running. Bucket 2 has a fixed key (the epoch) and is ordered by id. Kept literal (no bind
 * parameters) so PostgreSQL can match them to an expression index (see docs/decisions.md).
 */
export const SLA_DUE_SORT: readonly [Prisma.Sql, Prisma.Sql] = [
	sql`(CASE WHEN ${noDue} THEN 2 WHEN t.status IN ('PENDING', 'ON_HOLD') THEN 1 ELSE 0 END)`,
	sql`(CASE WHEN ${noDue} THEN '1970-01-01 00:00:00'::timestamp WHEN t."firstResponseAt" IS NULL AND t."firstResponseDueAt" < t."resolutionDueAt" THEN t."firstResponseDueAt" ELSE t."resolutionDueAt" END)`
];

/** Buckets of SLA_DUE_SORT (what a cursor may hold as its first key). */
export const SLA_DUE_BUCKETS = [0, 1, 2] as const;
