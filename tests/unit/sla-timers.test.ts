import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../src/lib/server/sla/calendar';
import {
	computeSla,
	dueEscalations,
	EMPTY_SLA,
	slaState,
	type PolicyClock,
	type SlaFields,
	type TicketFacts
} from '../../src/lib/server/sla/timers';

const always: BusinessCalendar = { timeZone: 'UTC', alwaysOpen: true, hours: [], holidays: [] };
const DAY = [{ start: '09:00', end: '17:00' }];
const office: BusinessCalendar = {
	timeZone: 'Europe/Berlin',
	alwaysOpen: false,
	hours: [DAY, DAY, DAY, DAY, DAY, [], []],
	holidays: []
};

const policy = (calendar: BusinessCalendar, escalations: PolicyClock['escalations'] = []) =>
	({
		id: 'p1',
		name: 'Standard',
		warnPercent: 75,
		calendar,
		escalations,
		targets: {
			CRITICAL: { firstResponse: 15, resolution: 240 },
			HIGH: { firstResponse: 60, resolution: 480 },
			MEDIUM: { firstResponse: 240, resolution: 1440 },
			LOW: { firstResponse: 480, resolution: 4320 }
		}
	}) satisfies PolicyClock;

const at = (iso: string) => new Date(iso);
const min = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);
const ticket = (over: Partial<TicketFacts> = {}): TicketFacts => ({
	status: 'NEW',
	priority: 'HIGH',
	createdAt: at('2027-03-01T10:00:00Z'),
	firstResponseAt: null,
	resolvedAt: null,
	...over
});

describe('SLA timers', () => {
	it('sets due instants from creation on a 24×7 calendar', () => {
		const t = ticket();
		const s = computeSla(t, EMPTY_SLA, policy(always), t.createdAt);
		expect(s.firstResponseDueAt).toEqual(min(t.createdAt, 60));
		expect(s.resolutionDueAt).toEqual(min(t.createdAt, 480));
		expect(s.slaAtRiskAt).toEqual(min(t.createdAt, 45));
		expect(s.slaNextCheckAt).toEqual(min(t.createdAt, 45));
		expect(slaState(t, s, min(t.createdAt, 10))).toBe('on_track');
		expect(slaState(t, s, min(t.createdAt, 50))).toBe('at_risk');
		expect(slaState(t, s, min(t.createdAt, 61))).toBe('breached');
	});

	it('counts only business hours: Friday 16:00 Berlin + 4 h is Monday 12:00', () => {
		// 2027-03-05 is a Friday; Berlin is UTC+1 in early March.
		const t = ticket({ priority: 'MEDIUM', createdAt: at('2027-03-05T15:00:00Z') });
		const s = computeSla(t, EMPTY_SLA, policy(office), t.createdAt);
		expect(s.firstResponseDueAt).toEqual(at('2027-03-08T11:00:00Z'));
	});

	it('pauses while pending and resumes with the time that was left', () => {
		const t0 = ticket();
		const s0 = computeSla(t0, EMPTY_SLA, policy(always), t0.createdAt);
		// 100 minutes in, waiting for the requester for 3 hours.
		const pausedAt = min(t0.createdAt, 100);
		const s1 = computeSla({ ...t0, status: 'PENDING' }, s0, policy(always), pausedAt);
		expect(s1.slaPausedAt).toEqual(pausedAt);
		expect(s1.slaClockAt).toBeNull();
		expect(s1.slaNextCheckAt).toBeNull();
		expect(s1.resolutionElapsedMin).toBeCloseTo(100);
		expect(slaState({ ...t0, status: 'PENDING' }, s1, min(pausedAt, 60))).not.toBe('on_track');
		const back = min(pausedAt, 180);
		const s2 = computeSla({ ...t0, status: 'OPEN' }, s1, policy(always), back);
		expect(s2.slaPausedAt).toBeNull();
		expect(s2.resolutionDueAt).toEqual(min(back, 380));
		expect(slaState({ ...t0, status: 'OPEN' }, s2, min(back, 1))).not.toBe('paused');
	});

	it('a new priority keeps the time already spent', () => {
		const t0 = ticket({ priority: 'LOW' });
		const s0 = computeSla(t0, EMPTY_SLA, policy(always), t0.createdAt);
		const now = min(t0.createdAt, 30);
		const s1 = computeSla({ ...t0, priority: 'CRITICAL' }, s0, policy(always), now);
		// Critical: 240 min to resolve, 30 already spent.
		expect(s1.resolutionDueAt).toEqual(min(now, 210));
		// Critical first response is 15 min: already breached 15 minutes ago; the instant is kept
		// from before when one existed (here the LOW one was later), else now.
		expect(slaState({ ...t0, priority: 'CRITICAL' }, s1, min(now, 1))).toBe('breached');
	});

	it('met when resolved in time, breached when late, and the first response counts', () => {
		const t0 = ticket();
		const s0 = computeSla(t0, EMPTY_SLA, policy(always), t0.createdAt);
		const answered = { ...t0, firstResponseAt: min(t0.createdAt, 20), status: 'OPEN' as const };
		const s1 = computeSla(answered, s0, policy(always), min(t0.createdAt, 20));
		expect(s1.firstResponseDueAt).toEqual(s0.firstResponseDueAt);
		const done = { ...answered, status: 'RESOLVED' as const, resolvedAt: min(t0.createdAt, 300) };
		const s2 = computeSla(done, s1, policy(always), done.resolvedAt);
		expect(slaState(done, s2, min(done.resolvedAt, 1000))).toBe('met');
		const late = { ...done, resolvedAt: min(t0.createdAt, 500) };
		expect(
			slaState(late, computeSla(late, s1, policy(always), late.resolvedAt), late.resolvedAt)
		).toBe('breached');
		const slowAnswer = { ...t0, firstResponseAt: min(t0.createdAt, 90), status: 'OPEN' as const };
		expect(slaState(slowAnswer, s0, min(t0.createdAt, 95))).toBe('breached');
	});

	it('no policy: no SLA', () => {
		const s = computeSla(ticket(), EMPTY_SLA, null, new Date());
		expect(s).toEqual(EMPTY_SLA);
		expect(slaState(ticket(), s, new Date())).toBeNull();
	});

	it('schedules the next check for escalation levels and knows which are due', () => {
		const levels = [
			{ id: 'e1', metric: 'RESOLUTION' as const, percent: 50, afterBreachMinutes: null },
			{ id: 'e2', metric: 'RESOLUTION' as const, percent: null, afterBreachMinutes: 120 },
			{ id: 'e3', metric: 'FIRST_RESPONSE' as const, percent: 100, afterBreachMinutes: null }
		];
		const p = policy(always, levels);
		const t = ticket();
		const s0 = computeSla(t, EMPTY_SLA, p, t.createdAt);
		expect(s0.slaNextCheckAt).toEqual(min(t.createdAt, 45)); // at risk (first response, 75%)
		const s1: SlaFields = computeSla(t, s0, p, min(t.createdAt, 241));
		expect(dueEscalations(t, s1, p, min(t.createdAt, 241), new Set()).map((l) => l.id)).toEqual([
			'e1',
			'e3'
		]);
		const fired = new Set(['e1', 'e3']);
		const s2 = computeSla(t, s1, p, min(t.createdAt, 241), fired);
		expect(s2.slaNextCheckAt).toEqual(min(t.createdAt, 480)); // the resolution breach
		const s3 = computeSla(t, s2, p, min(t.createdAt, 481), fired);
		expect(s3.slaNextCheckAt).toEqual(min(t.createdAt, 600)); // 2 h after it
		expect(dueEscalations(t, s3, p, min(t.createdAt, 600), fired).map((l) => l.id)).toEqual(['e2']);
		expect(
			dueEscalations({ ...t, status: 'PENDING' }, s3, p, min(t.createdAt, 600), fired)
		).toEqual([]);
	});
});
