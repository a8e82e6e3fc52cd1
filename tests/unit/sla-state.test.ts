import { describe, expect, it } from 'vitest';
import {
	formatCountdown,
	nextDue,
	slaBadge,
	slaStateOf,
	type SlaStateFields
} from '../../src/lib/sla';
import { slaState } from '../../src/lib/server/sla/timers';

const at = (iso: string) => new Date(`2026-03-02T${iso}:00Z`);

const base: SlaStateFields = {
	status: 'OPEN',
	firstResponseAt: null,
	resolvedAt: null,
	slaPolicyId: 'p1',
	firstResponseDueAt: at('10:00'),
	resolutionDueAt: at('14:00'),
	slaAtRiskAt: at('09:45')
};
const state = (over: Partial<SlaStateFields>, now: string) =>
	slaStateOf({ ...base, ...over }, at(now));

describe('slaStateOf', () => {
	it('has no state without a policy or without a resolution due', () => {
		expect(state({ slaPolicyId: null }, '09:00')).toBeNull();
		expect(state({ resolutionDueAt: null }, '09:00')).toBeNull();
	});

	it('is on track before the at-risk instant and at risk from it on', () => {
		expect(slaStateOf(base, new Date(at('09:45').getTime() - 1))).toBe('on_track');
		expect(state({}, '09:45')).toBe('at_risk');
	});

	it('breaches only after the first-response due, not at it', () => {
		expect(state({}, '10:00')).toBe('at_risk');
		expect(slaStateOf(base, new Date(at('10:00').getTime() + 1))).toBe('breached');
	});

	it('breaches after the resolution due once the first response was on time', () => {
		const answered = { firstResponseAt: at('09:30'), slaAtRiskAt: at('13:00') };
		expect(state(answered, '12:59')).toBe('on_track');
		expect(state(answered, '14:00')).toBe('at_risk');
		expect(slaStateOf({ ...base, ...answered }, new Date(at('14:00').getTime() + 1))).toBe(
			'breached'
		);
	});

	it('stays breached when the first response came late, even answered', () => {
		expect(state({ firstResponseAt: at('10:01'), slaAtRiskAt: at('13:00') }, '10:30')).toBe(
			'breached'
		);
	});

	it('is paused while pending or on hold, unless the first response already breached', () => {
		expect(state({ status: 'PENDING' }, '13:00')).toBe('breached');
		expect(state({ status: 'PENDING', firstResponseAt: at('09:00') }, '15:00')).toBe('paused');
		expect(state({ status: 'ON_HOLD', firstResponseAt: at('09:00') }, '09:50')).toBe('paused');
	});

	it('is met when resolved on time and breached when resolved late', () => {
		const done = { status: 'RESOLVED' as const, firstResponseAt: at('09:00') };
		expect(state({ ...done, resolvedAt: at('14:00') }, '18:00')).toBe('met');
		expect(state({ ...done, resolvedAt: at('14:01') }, '18:00')).toBe('breached');
		expect(state({ ...done, status: 'CLOSED', resolvedAt: at('11:00') }, '18:00')).toBe('met');
	});

	it('is what the server slaState answers', () => {
		const cases: [Partial<SlaStateFields>, string][] = [
			[{}, '09:00'],
			[{}, '09:50'],
			[{}, '11:00'],
			[{ status: 'PENDING', firstResponseAt: at('09:00') }, '11:00'],
			[{ status: 'RESOLVED', firstResponseAt: at('09:00'), resolvedAt: at('15:00') }, '16:00']
		];
		for (const [over, now] of cases) {
			const f = { ...base, ...over };
			const server = slaState(
				{ ...f, priority: 'HIGH', createdAt: at('08:00') },
				{
					slaPolicyId: f.slaPolicyId,
					firstResponseDueAt: f.firstResponseDueAt,
					resolutionDueAt: f.resolutionDueAt,
					slaAtRiskAt: f.slaAtRiskAt
				},
				at(now)
			);
			expect(server).toBe(slaStateOf(f, at(now)));
		}
	});
});

describe('nextDue', () => {
	it('is the first-response due while unanswered, else the resolution due', () => {
		expect(nextDue(base)).toEqual(at('10:00'));
		expect(nextDue({ ...base, firstResponseAt: at('09:00') })).toEqual(at('14:00'));
	});
});

describe('formatCountdown', () => {
	const MIN = 60_000;
	it('counts minutes and hours ahead, rounding up', () => {
		expect(formatCountdown(30_000)).toBe('due in 1 min');
		expect(formatCountdown(40 * MIN)).toBe('due in 40 min');
		expect(formatCountdown(59 * MIN + 1)).toBe('due in 1 h');
		expect(formatCountdown(5 * 60 * MIN)).toBe('due in 5 h');
		expect(formatCountdown(2 * 60 * MIN + 13 * MIN)).toBe('due in 2 h 13 min');
	});

	it('counts overdue time, rounding down but never to zero', () => {
		expect(formatCountdown(-10_000)).toBe('overdue by 1 min');
		expect(formatCountdown(-35 * MIN - 30_000)).toBe('overdue by 35 min');
		expect(formatCountdown(-(60 + 5) * MIN)).toBe('overdue by 1 h 5 min');
	});

	it('uses days for long spans', () => {
		expect(formatCountdown(24 * 60 * MIN)).toBe('due in 1 d');
		expect(formatCountdown((3 * 24 + 4) * 60 * MIN + 7 * MIN)).toBe('due in 3 d 4 h');
		expect(formatCountdown(-(2 * 24 * 60 * MIN))).toBe('overdue by 2 d');
	});
});

describe('slaBadge', () => {
	const ticket = {
		status: 'OPEN' as const,
		slaPolicy: { id: 'p1', name: 'Standard' },
		firstResponseAt: at('08:30'),
		firstResponseDueAt: at('09:00'),
		resolutionDueAt: at('14:00'),
		slaAtRiskAt: at('13:00')
	};
	const badge = (now: string, over: object = {}) =>
		slaBadge({ ...ticket, ...over }, at(now).getTime());

	it('says nothing without a policy', () => {
		expect(badge('09:00', { slaPolicy: null })).toBeNull();
	});

	it('counts down on track, warns at risk and flips to breached as time passes', () => {
		expect(badge('09:00')).toMatchObject({
			state: 'on_track',
			tone: 'neutral',
			text: 'Due in 5 h'
		});
		expect(badge('13:20')).toMatchObject({
			state: 'at_risk',
			tone: 'warning',
			text: 'At risk · due in 40 min'
		});
		expect(badge('14:01')).toMatchObject({ state: 'breached', tone: 'danger', text: 'Breached' });
	});

	it('names paused and met plainly', () => {
		expect(badge('10:00', { status: 'PENDING' })?.text).toBe('Paused');
		expect(badge('15:00', { status: 'RESOLVED', resolvedAt: at('12:00') })).toMatchObject({
			tone: 'success',
			text: 'Met'
		});
	});
});
