import { describe, expect, it } from 'vitest';
import {
	formatBusinessMinutes,
	pausedLeft,
	slaPausedLeft,
	targetsFor,
	type SlaClockTicket
} from '../../src/lib/sla';

const targets = {
	LOW: { firstResponse: 480, resolution: 2400 },
	MEDIUM: { firstResponse: 240, resolution: 960 },
	HIGH: { firstResponse: 60, resolution: 480 },
	CRITICAL: { firstResponse: 15, resolution: 240 }
};

const paused: SlaClockTicket = {
	status: 'PENDING',
	priority: 'MEDIUM',
	slaPolicy: { id: 'p1', name: 'Standard', targets },
	firstResponseAt: null,
	resolvedAt: null,
	firstResponseDueAt: new Date('2026-03-02T12:00:00Z'),
	resolutionDueAt: new Date('2026-03-03T12:00:00Z'),
	slaAtRiskAt: null,
	slaPausedAt: new Date('2026-03-02T09:00:00Z'),
	firstResponseElapsedMin: 40,
	resolutionElapsedMin: 40
};

describe('formatBusinessMinutes', () => {
	it('says hours and minutes, never days (a business day is not 24 hours)', () => {
		expect(formatBusinessMinutes(0)).toBe('0 min');
		expect(formatBusinessMinutes(45)).toBe('45 min');
		expect(formatBusinessMinutes(60)).toBe('1 h');
		expect(formatBusinessMinutes(200)).toBe('3 h 20 min');
		expect(formatBusinessMinutes(1560)).toBe('26 h');
	});
});

describe('pausedLeft', () => {
	it('is the target minus the elapsed business minutes', () => {
		expect(pausedLeft(240, 40)).toEqual({
			leftMin: 200,
			overMin: 0,
			breached: false,
			text: 'Paused · 3 h 20 min left'
		});
	});

	it('rounds minutes left up, so a few seconds left is not "0 min left"', () => {
		expect(pausedLeft(60, 59.8).text).toBe('Paused · 1 min left');
		expect(pausedLeft(60, 60).text).toBe('Paused · 0 min left');
	});

	it('never goes below 0 left: past the target it says by how much it was breached', () => {
		expect(pausedLeft(60, 80)).toEqual({
			leftMin: 0,
			overMin: 20,
			breached: true,
			text: 'Paused · breached by 20 min'
		});
		expect(pausedLeft(60, 60.2).text).toBe('Paused · breached by 1 min');
		expect(pausedLeft(60, 185.5).text).toBe('Paused · breached by 2 h 5 min');
	});
});

describe('targetsFor', () => {
	it("reads the priority's targets and refuses anything malformed", () => {
		expect(targetsFor(targets, 'HIGH')).toEqual({ firstResponse: 60, resolution: 480 });
		expect(targetsFor(targets, 'URGENT')).toBeNull();
		expect(targetsFor(null, 'HIGH')).toBeNull();
		expect(targetsFor('x', 'HIGH')).toBeNull();
		expect(targetsFor({ HIGH: { firstResponse: '60', resolution: 480 } }, 'HIGH')).toBeNull();
	});
});

describe('slaPausedLeft', () => {
	it('gives time left on both targets of a Pending ticket not yet answered', () => {
		const left = slaPausedLeft(paused);
		expect(left.firstResponse?.text).toBe('Paused · 3 h 20 min left');
		expect(left.resolution?.text).toBe('Paused · 15 h 20 min left');
	});

	it('uses the targets of the current priority', () => {
		const left = slaPausedLeft({ ...paused, status: 'ON_HOLD', priority: 'HIGH' });
		expect(left.firstResponse?.text).toBe('Paused · 20 min left');
		expect(left.resolution?.text).toBe('Paused · 7 h 20 min left');
	});

	it('leaves out the first response once it was given', () => {
		const left = slaPausedLeft({ ...paused, firstResponseAt: new Date('2026-03-02T08:30:00Z') });
		expect(left.firstResponse).toBeNull();
		expect(left.resolution?.leftMin).toBe(920);
	});

	it('reports a target breached before the pause', () => {
		const left = slaPausedLeft({ ...paused, priority: 'CRITICAL' });
		expect(left.firstResponse).toMatchObject({ breached: true, overMin: 25 });
		expect(left.firstResponse?.text).toBe('Paused · breached by 25 min');
		expect(left.resolution?.breached).toBe(false);
	});

	it('has nothing to say for a running or finished clock, or without the data', () => {
		for (const status of ['NEW', 'OPEN', 'RESOLVED', 'CLOSED'] as const) {
			expect(slaPausedLeft({ ...paused, status })).toEqual({
				firstResponse: null,
				resolution: null
			});
		}
		expect(slaPausedLeft({ ...paused, slaPolicy: null }).resolution).toBeNull();
		expect(
			slaPausedLeft({ ...paused, slaPolicy: { id: 'p1', name: 'Old' } }).resolution
		).toBeNull();
		expect(slaPausedLeft({ ...paused, resolutionElapsedMin: null }).resolution).toBeNull();
	});
});
