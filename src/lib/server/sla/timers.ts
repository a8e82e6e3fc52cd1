import { SLA_PAUSED_STATUSES, slaStateOf, type SlaState } from '$lib/sla';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from './calendar';

/**
 * The SLA clock of one ticket as a pure function: from the ticket's facts, what was stored last
 * time and the policy that applies now, the fields to store. Elapsed business minutes are the
 * state that survives everything (a pause, a new priority, another policy): due instants are
 * always `now + (target − elapsed)` in business time, so a priority change keeps the time already
 * spent and a pause keeps the time left.
 */

export type Priority = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type Status = 'NEW' | 'OPEN' | 'PENDING' | 'ON_HOLD' | 'RESOLVED' | 'CLOSED';
export type SlaStateName = SlaState;

/** Minutes of business time per priority. */
export type SlaTargets = Record<Priority, { firstResponse: number; resolution: number }>;

export interface EscalationLevel {
	id: string;
	metric: 'FIRST_RESPONSE' | 'RESOLUTION';
	percent: number | null;
	afterBreachMinutes: number | null;
}

export interface PolicyClock {
	id: string;
	name: string;
	targets: SlaTargets;
	warnPercent: number;
	calendar: BusinessCalendar;
	escalations: EscalationLevel[];
}

/** The SLA columns of a ticket (what computeSla reads as "before" and returns as "after"). */
export interface SlaFields {
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

export interface TicketFacts {
	status: Status;
	priority: Priority;
	createdAt: Date;
	firstResponseAt: Date | null;
	resolvedAt: Date | null;
}

/** Statuses that stop the clock. Resolved and Closed stop it too: a reopen resumes it. */
export const PAUSED_STATUSES: readonly Status[] = SLA_PAUSED_STATUSES;

export const EMPTY_SLA: SlaFields = {
	slaPolicyId: null,
	firstResponseDueAt: null,
	resolutionDueAt: null,
	slaAtRiskAt: null,
	slaClockAt: null,
	slaPausedAt: null,
	firstResponseElapsedMin: null,
	resolutionElapsedMin: null,
	slaNextCheckAt: null
};

const later = (a: Date | null, b: Date) => (a && a > b ? a : null);
const earliest = (dates: (Date | null)[]): Date | null =>
	dates.reduce<Date | null>((m, d) => (d && (!m || d < m) ? d : m), null);

/** The instant `minutes` of business time after `now`; `now` itself when none are left. */
function inBusiness(now: Date, minutes: number, cal: BusinessCalendar): Date {
	return minutes > 0 ? addBusinessMinutes(now, minutes, cal) : now;
}

export function computeSla(
	t: TicketFacts,
	before: SlaFields,
	policy: PolicyClock | null,
	now: Date,
	fired: ReadonlySet<string> = new Set()
): SlaFields {
	if (!policy) return { ...EMPTY_SLA };
	const cal = policy.calendar;
	const target = policy.targets[t.priority];

	// Elapsed business minutes up to now.
	let frElapsed: number;
	let resElapsed: number;
	if (before.slaPolicyId === null || before.resolutionElapsedMin === null) {
		// First time (or the ticket had no policy): the clock ran since creation.
		const since = businessMinutesBetween(t.createdAt, now, cal);
		frElapsed = since;
		resElapsed = since;
	} else {
		const running = before.slaClockAt ? businessMinutesBetween(before.slaClockAt, now, cal) : 0;
		frElapsed = (before.firstResponseElapsedMin ?? 0) + (t.firstResponseAt ? 0 : running);
		resElapsed = before.resolutionElapsedMin + running;
	}

	const paused = PAUSED_STATUSES.includes(t.status);
	const frOpen = !t.firstResponseAt;
	const frLeft = target.firstResponse - frElapsed;
	const resLeft = target.resolution - resElapsed;

	// Due instants move only while the clock runs; an answered first response keeps its due.
	// Nothing left: the target passed. Keep the stored instant when it is the past one; after a
	// tighter target (a raised priority) it lies ahead, so place the breach |left| minutes ago
	// (wall-clock: exact on 24×7, an approximation across closed hours — it is past either way).
	const keep = (prev: Date | null, left: number) =>
		left > 0
			? inBusiness(now, left, cal)
			: prev && prev <= now
				? prev
				: new Date(now.getTime() + left * 60_000);
	const firstResponseDueAt = frOpen
		? paused
			? before.firstResponseDueAt
			: keep(before.firstResponseDueAt, frLeft)
		: before.firstResponseDueAt;
	const resolutionDueAt = paused ? before.resolutionDueAt : keep(before.resolutionDueAt, resLeft);
	// A first ticket computation while already paused still needs due instants to show.
	const fresh = before.slaPolicyId === null;
	const frDue = firstResponseDueAt ?? (fresh ? inBusiness(now, frLeft, cal) : null);
	const resDue = resolutionDueAt ?? (fresh ? inBusiness(now, resLeft, cal) : null);

	const warn = policy.warnPercent / 100;
	const warnAt = (elapsed: number, total: number, prev: Date | null) =>
		total * warn - elapsed > 0
			? inBusiness(now, total * warn - elapsed, cal)
			: prev && prev <= now
				? prev
				: now;
	const slaAtRiskAt = paused
		? before.slaAtRiskAt
		: earliest([
				frOpen ? warnAt(frElapsed, target.firstResponse, before.slaAtRiskAt) : null,
				warnAt(resElapsed, target.resolution, before.slaAtRiskAt)
			]);

	let slaNextCheckAt: Date | null = null;
	if (!paused) {
		const upcoming: (Date | null)[] = [
			later(slaAtRiskAt, now),
			frOpen ? later(frDue, now) : null,
			later(resDue, now)
		];
		for (const level of policy.escalations) {
			if (fired.has(level.id)) continue;
			const first = level.metric === 'FIRST_RESPONSE';
			if (first && !frOpen) continue;
			const elapsed = first ? frElapsed : resElapsed;
			const total = first ? target.firstResponse : target.resolution;
			const due = first ? frDue : resDue;
			if (level.afterBreachMinutes !== null && due) {
				const at = new Date(due.getTime() + level.afterBreachMinutes * 60_000);
				upcoming.push(at > now ? at : now);
			} else if (level.percent !== null) {
				upcoming.push(inBusiness(now, (total * level.percent) / 100 - elapsed, cal));
			}
		}
		slaNextCheckAt = earliest(upcoming);
	}

	return {
		slaPolicyId: policy.id,
		firstResponseDueAt: frDue,
		resolutionDueAt: resDue,
		slaAtRiskAt,
		slaClockAt: paused ? null : now,
		slaPausedAt: paused ? (before.slaPausedAt ?? now) : null,
		firstResponseElapsedMin: frElapsed,
		resolutionElapsedMin: resElapsed,
		slaNextCheckAt
	};
}

/** Which escalation levels are due at `now` (not yet fired). */
export function dueEscalations(
	t: TicketFacts,
	sla: SlaFields,
	policy: PolicyClock,
	now: Date,
	fired: ReadonlySet<string>
): EscalationLevel[] {
	if (PAUSED_STATUSES.includes(t.status)) return [];
	const target = policy.targets[t.priority];
	return policy.escalations.filter((level) => {
		if (fired.has(level.id)) return false;
		const first = level.metric === 'FIRST_RESPONSE';
		if (first && t.firstResponseAt) return false;
		const due = first ? sla.firstResponseDueAt : sla.resolutionDueAt;
		if (level.afterBreachMinutes !== null) {
			return !!due && now.getTime() >= due.getTime() + level.afterBreachMinutes * 60_000;
		}
		if (level.percent === null) return false;
		const elapsed = first ? sla.firstResponseElapsedMin : sla.resolutionElapsedMin;
		const total = first ? target.firstResponse : target.resolution;
		return (elapsed ?? 0) >= (total * level.percent) / 100 - 1e-6;
	});
}

/** The state shown in lists and on the ticket page, and in the REST ticket JSON (see $lib/sla). */
export function slaState(
	t: TicketFacts,
	sla: Pick<SlaFields, 'slaPolicyId' | 'firstResponseDueAt' | 'resolutionDueAt' | 'slaAtRiskAt'>,
	now: Date
): SlaStateName | null {
	return slaStateOf(
		{
			status: t.status,
			firstResponseAt: t.firstResponseAt,
			resolvedAt: t.resolvedAt,
			slaPolicyId: sla.slaPolicyId,
			firstResponseDueAt: sla.firstResponseDueAt,
			resolutionDueAt: sla.resolutionDueAt,
			slaAtRiskAt: sla.slaAtRiskAt
		},
		now
	);
}
