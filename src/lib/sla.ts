/**
 * The SLA state of a ticket as a pure, browser-safe decision: the server (`slaState` in
 * `$lib/server/sla/timers`) and the pages (live countdowns that flip on their own) share it.
 */

export type SlaStatus = 'NEW' | 'OPEN' | 'PENDING' | 'ON_HOLD' | 'RESOLVED' | 'CLOSED';
export type SlaState = 'on_track' | 'at_risk' | 'breached' | 'met' | 'paused';

/** The order the filter offers them in. */
export const SLA_STATE_VALUES = ['on_track', 'at_risk', 'breached', 'paused', 'met'] as const;

export const SLA_STATE_LABELS: Record<SlaState, string> = {
	on_track: 'On track',
	at_risk: 'At risk',
	breached: 'Breached',
	paused: 'Paused',
	met: 'Met'
};

/** Statuses that stop the clock. Resolved and Closed stop it too: a reopen resumes it. */
export const SLA_PAUSED_STATUSES: readonly SlaStatus[] = [
	'PENDING',
	'ON_HOLD',
	'RESOLVED',
	'CLOSED'
];
const DONE_STATUSES: readonly SlaStatus[] = ['RESOLVED', 'CLOSED'];
/** Paused and still open: the clock keeps the time left (Resolved/Closed are done instead). */
const PAUSED_OPEN_STATUSES: readonly SlaStatus[] = ['PENDING', 'ON_HOLD'];

/** What the decision reads: the ticket's facts and its SLA instants. */
export interface SlaStateFields {
	status: SlaStatus;
	firstResponseAt: Date | null;
	resolvedAt: Date | null;
	slaPolicyId: string | null;
	firstResponseDueAt: Date | null;
	resolutionDueAt: Date | null;
	slaAtRiskAt: Date | null;
}

/** Whether the first response missed its due (answered late, or unanswered past it). */
export function firstResponseBreached(
	f: Pick<SlaStateFields, 'firstResponseAt' | 'firstResponseDueAt'>,
	now: Date
): boolean {
	if (!f.firstResponseDueAt) return false;
	return f.firstResponseAt ? f.firstResponseAt > f.firstResponseDueAt : now > f.firstResponseDueAt;
}

/** The state shown in lists and on the ticket page; null without a policy. */
export function slaStateOf(f: SlaStateFields, now: Date): SlaState | null {
	if (!f.slaPolicyId || !f.resolutionDueAt) return null;
	const frBreached = firstResponseBreached(f, now);
	if (DONE_STATUSES.includes(f.status)) {
		const resolvedLate = !!f.resolvedAt && f.resolvedAt > f.resolutionDueAt;
		return frBreached || resolvedLate ? 'breached' : 'met';
	}
	if (SLA_PAUSED_STATUSES.includes(f.status)) return frBreached ? 'breached' : 'paused';
	if (frBreached || now > f.resolutionDueAt) return 'breached';
	if (f.slaAtRiskAt && now >= f.slaAtRiskAt) return 'at_risk';
	return 'on_track';
}

/** The instant that matters next for a running clock: an open first response, else resolution. */
export function nextDue(
	f: Pick<SlaStateFields, 'firstResponseAt' | 'firstResponseDueAt' | 'resolutionDueAt'>
): Date | null {
	if (!f.firstResponseAt && f.firstResponseDueAt) {
		if (!f.resolutionDueAt || f.firstResponseDueAt < f.resolutionDueAt) return f.firstResponseDueAt;
	}
	return f.resolutionDueAt;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A span as "2 h 13 min", "35 min", "3 d 4 h" (minutes rounded up while due, down once over). */
export function formatSpan(ms: number): string {
	const abs = Math.abs(ms);
	if (abs >= DAY) {
		const d = Math.floor(abs / DAY);
		const h = Math.floor((abs % DAY) / HOUR);
		return h ? `${d} d ${h} h` : `${d} d`;
	}
	// Due: "due in 1 min" down to the last second. Overdue: "overdue by 0 min" reads odd, so 1.
	const minutes = Math.max(1, ms >= 0 ? Math.ceil(abs / MIN) : Math.floor(abs / MIN));
	if (minutes < 60) return `${minutes} min`;
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return m ? `${h} h ${m} min` : `${h} h`;
}

/** `ms` until a due instant: "due in 2 h 13 min"; negative: "overdue by 35 min". */
export function formatCountdown(ms: number): string {
	return ms >= 0 ? `due in ${formatSpan(ms)}` : `overdue by ${formatSpan(ms)}`;
}

/** Business minutes per target for one priority (a policy's `targets` hold one per priority). */
export interface SlaTargetMinutes {
	firstResponse: number;
	resolution: number;
}

/** The targets for `priority` in a policy's `targets` JSON; null when missing or malformed. */
export function targetsFor(targets: unknown, priority: string): SlaTargetMinutes | null {
	if (!targets || typeof targets !== 'object') return null;
	const t: unknown = (targets as Record<string, unknown>)[priority];
	if (!t || typeof t !== 'object') return null;
	const { firstResponse, resolution } = t as Record<string, unknown>;
	return typeof firstResponse === 'number' && typeof resolution === 'number'
		? { firstResponse, resolution }
		: null;
}

/**
 * Business minutes as "3 h 20 min", "45 min", "26 h": hours, never days, since a business day
 * is not 24 hours.
 */
export function formatBusinessMinutes(minutes: number): string {
	const m = Math.max(0, Math.round(minutes));
	if (m < 60) return `${m} min`;
	const h = Math.floor(m / 60);
	return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** One target while the clock is paused: business minutes left (never below 0) or over. */
export interface PausedLeft {
	leftMin: number;
	overMin: number;
	breached: boolean;
	/** "Paused · 3 h 20 min left", "Paused · breached by 20 min". */
	text: string;
}

/**
 * What a paused clock keeps of one target: target − elapsed business minutes. Minutes left are
 * rounded up (a few seconds left is "1 min left"), minutes over down but at least 1.
 */
export function pausedLeft(targetMin: number, elapsedMin: number): PausedLeft {
	const left = targetMin - elapsedMin;
	if (left >= 0) {
		const leftMin = Math.ceil(left);
		return {
			leftMin,
			overMin: 0,
			breached: false,
			text: `Paused · ${formatBusinessMinutes(leftMin)} left`
		};
	}
	const overMin = Math.max(1, Math.floor(-left));
	return {
		leftMin: 0,
		overMin,
		breached: true,
		text: `Paused · breached by ${formatBusinessMinutes(overMin)}`
	};
}

/** A ticket as lists and the ticket page hold it (the SLA fields may be missing on old rows). */
export interface SlaTicket {
	status: SlaStatus;
	slaPolicy?: { id: string; name: string; targets?: unknown } | null;
	firstResponseAt?: Date | null;
	resolvedAt?: Date | null;
	firstResponseDueAt?: Date | null;
	resolutionDueAt?: Date | null;
	slaAtRiskAt?: Date | null;
}

/** What the ticket page adds: the paused clock's elapsed business minutes per target. */
export interface SlaClockTicket extends SlaTicket {
	priority: string;
	slaPausedAt?: Date | null;
	firstResponseElapsedMin?: number | null;
	resolutionElapsedMin?: number | null;
}

/**
 * Time left on each target of a ticket whose clock is paused (Pending, On hold), from its
 * policy's targets for its priority and the elapsed minutes stored at the pause. Null per target
 * when it does not apply (not paused, first response already given) or the data is missing.
 */
export function slaPausedLeft(t: SlaClockTicket): {
	firstResponse: PausedLeft | null;
	resolution: PausedLeft | null;
} {
	const none = { firstResponse: null, resolution: null };
	if (!PAUSED_OPEN_STATUSES.includes(t.status) || !t.slaPolicy) return none;
	const target = targetsFor(t.slaPolicy.targets, t.priority);
	if (!target) return none;
	const fr = t.firstResponseElapsedMin;
	const res = t.resolutionElapsedMin;
	return {
		firstResponse: !t.firstResponseAt && fr != null ? pausedLeft(target.firstResponse, fr) : null,
		resolution: res != null ? pausedLeft(target.resolution, res) : null
	};
}

export type SlaTone = 'neutral' | 'warning' | 'danger' | 'success';

/** What an SLA chip shows: the state, its tone and its words ("At risk · due in 40 min"). */
export interface SlaBadgeInfo {
	state: SlaState;
	tone: SlaTone;
	text: string;
	due: Date | null;
}

const TONES: Record<SlaState, SlaTone> = {
	on_track: 'neutral',
	at_risk: 'warning',
	breached: 'danger',
	paused: 'neutral',
	met: 'success'
};

export function slaFieldsOf(t: SlaTicket): SlaStateFields {
	return {
		status: t.status,
		firstResponseAt: t.firstResponseAt ?? null,
		resolvedAt: t.resolvedAt ?? null,
		slaPolicyId: t.slaPolicy?.id ?? null,
		firstResponseDueAt: t.firstResponseDueAt ?? null,
		resolutionDueAt: t.resolutionDueAt ?? null,
		slaAtRiskAt: t.slaAtRiskAt ?? null
	};
}

/** The chip for a ticket at `now` (ms); null without a policy. */
export function slaBadge(t: SlaTicket, now: number): SlaBadgeInfo | null {
	const f = slaFieldsOf(t);
	const state = slaStateOf(f, new Date(now));
	if (!state) return null;
	const due = nextDue(f);
	const countdown = due ? formatCountdown(due.getTime() - now) : '';
	let text = SLA_STATE_LABELS[state];
	if (state === 'at_risk' && countdown) text = `At risk · ${countdown}`;
	else if (state === 'on_track' && countdown)
		text = countdown.charAt(0).toUpperCase() + countdown.slice(1);
	return { state, tone: TONES[state], text, due };
}
