import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/server/errors';
import {
	addBusinessMinutes,
	businessCalendarSchema,
	businessMinutesBetween,
	isOpenAt,
	nextOpening,
	TWENTY_FOUR_SEVEN,
	validateCalendar,
	type BusinessCalendar,
	type BusinessInterval,
	type Holiday
} from '../../src/lib/server/sla/calendar';
import { easterSunday, germanPublicHolidays } from '../../src/lib/server/sla/holidays';

// Expected instants are written with explicit offsets, so they never depend on the machine.
const at = (iso: string) => new Date(iso);
const MIN = 60_000;

type Week = BusinessInterval[][];
const span = (start: string, end: string): BusinessInterval => ({ start, end });
const weekdays = (...day: BusinessInterval[]): Week => [day, day, day, day, day, [], []];
const everyDay = (...day: BusinessInterval[]): Week => Array.from({ length: 7 }, () => day);
const sundays = (...day: BusinessInterval[]): Week => [[], [], [], [], [], [], day];

function calendar(hours: Week, holidays: Holiday[] = [], timeZone = 'Europe/Berlin') {
	return { timeZone, alwaysOpen: false, hours, holidays } satisfies BusinessCalendar;
}

const office = calendar(weekdays(span('09:00', '17:00')));
const officeDE = calendar(weekdays(span('09:00', '17:00')), germanPublicHolidays(2026, 2028));
const dailyOffice = calendar(everyDay(span('09:00', '17:00')));
const allDay = calendar(everyDay(span('00:00', '24:00')));
const nightShift = calendar(weekdays(span('00:00', '06:00'), span('22:00', '24:00')));

const addIso = (from: string, minutes: number, cal: BusinessCalendar) =>
	addBusinessMinutes(at(from), minutes, cal).toISOString();
const between = (a: string, b: string, cal: BusinessCalendar) =>
	businessMinutesBetween(at(a), at(b), cal);

describe('office hours Mon–Fri 09:00–17:00 in Europe/Berlin', () => {
	it('a ticket at Friday 16:00 with a 4 h target is due Monday 12:00', () => {
		expect(addIso('2027-03-19T16:00+01:00', 240, office)).toBe(
			at('2027-03-22T12:00+01:00').toISOString()
		);
		expect(between('2027-03-19T16:00+01:00', '2027-03-22T12:00+01:00', office)).toBe(240);
	});

	it('an opening instant is open and counts at once; a closing instant is closed', () => {
		expect(isOpenAt(at('2027-03-22T09:00+01:00'), office)).toBe(true);
		expect(isOpenAt(at('2027-03-22T08:59:59.999+01:00'), office)).toBe(false);
		expect(isOpenAt(at('2027-03-22T16:59:59.999+01:00'), office)).toBe(true);
		expect(isOpenAt(at('2027-03-22T17:00+01:00'), office)).toBe(false);
		expect(addIso('2027-03-22T09:00+01:00', 60, office)).toBe(
			at('2027-03-22T10:00+01:00').toISOString()
		);
		expect(addIso('2027-03-19T17:00+01:00', 60, office)).toBe(
			at('2027-03-22T10:00+01:00').toISOString()
		);
	});

	it('a target met exactly at closing is due at the closing instant, not the next morning', () => {
		expect(addIso('2027-03-19T13:00+01:00', 240, office)).toBe(
			at('2027-03-19T17:00+01:00').toISOString()
		);
	});

	it('zero minutes: from itself when open, else the next opening', () => {
		expect(addIso('2027-03-22T11:11:11.111+01:00', 0, office)).toBe('2027-03-22T10:11:11.111Z');
		expect(addIso('2027-03-20T11:00+01:00', 0, office)).toBe(
			at('2027-03-22T09:00+01:00').toISOString()
		);
		expect(addIso('2027-03-19T17:00+01:00', 0, office)).toBe(
			at('2027-03-22T09:00+01:00').toISOString()
		);
	});

	it('nextOpening is the instant itself when open, else the next opening', () => {
		const next = (iso: string) => nextOpening(at(iso), office).toISOString();
		expect(next('2027-03-22T09:00+01:00')).toBe(at('2027-03-22T09:00+01:00').toISOString());
		expect(next('2027-03-22T12:34+01:00')).toBe(at('2027-03-22T12:34+01:00').toISOString());
		expect(next('2027-03-22T08:59:59.999+01:00')).toBe(at('2027-03-22T09:00+01:00').toISOString());
		expect(next('2027-03-19T17:00+01:00')).toBe(at('2027-03-22T09:00+01:00').toISOString());
	});

	it('fractional minutes are exact to the millisecond', () => {
		expect(addIso('2027-03-22T09:00+01:00', 0.5, office)).toBe('2027-03-22T08:00:30.000Z');
		expect(addIso('2027-03-22T16:59+01:00', 1 + 1 / MIN, office)).toBe('2027-03-23T08:00:00.001Z');
		expect(between('2027-03-22T09:00+01:00', '2027-03-22T09:00:00.001+01:00', office)).toBe(
			1 / MIN
		);
		expect(between('2027-03-19T16:30+01:00', '2027-03-22T09:15+01:00', office)).toBe(45);
	});

	it('an empty or reversed range has no business time', () => {
		expect(between('2027-03-22T10:00+01:00', '2027-03-22T10:00+01:00', office)).toBe(0);
		expect(between('2027-03-22T12:00+01:00', '2027-03-22T10:00+01:00', office)).toBe(0);
		expect(between('2027-03-20T00:00+01:00', '2027-03-22T09:00+01:00', office)).toBe(0);
	});

	it('ranges over New Year and many weeks', () => {
		// 28–31 Dec 2026 (4 days) + January 2027 (21 weekdays less Neujahr on Friday the 1st).
		expect(between('2026-12-28T00:00+01:00', '2027-02-01T00:00+01:00', officeDE)).toBe(24 * 480);
		expect(addIso('2026-12-31T16:00+01:00', 120, officeDE)).toBe(
			at('2027-01-04T10:00+01:00').toISOString()
		);
		// 10 weeks of 5 × 8 h from Monday morning end at the close of the 10th Friday.
		expect(addIso('2027-01-04T09:00+01:00', 10 * 5 * 480, office)).toBe(
			at('2027-03-12T17:00+01:00').toISOString()
		);
		expect(between('2027-01-04T09:00+01:00', '2027-03-12T17:00+01:00', office)).toBe(24_000);
	});
});

describe('daylight saving time', () => {
	it('office hours across the March 2027 switch (Easter weekend)', () => {
		// Fri 26 Mar 16:00 CET → Mon 29 Mar 12:00 CEST: 67 h of wall time, 4 business hours.
		expect(addIso('2027-03-26T16:00+01:00', 240, office)).toBe('2027-03-29T10:00:00.000Z');
		// With the German holidays Karfreitag (26th) and Ostermontag (29th) are closed too.
		expect(addIso('2027-03-25T16:00+01:00', 240, officeDE)).toBe(
			at('2027-03-30T12:00+02:00').toISOString()
		);
		expect(between('2027-03-25T16:00+01:00', '2027-03-30T12:00+02:00', officeDE)).toBe(240);
	});

	it('a 09:00–17:00 day on the spring-forward Sunday still has 8 hours', () => {
		expect(between('2027-03-28T00:00+01:00', '2027-03-29T00:00+02:00', dailyOffice)).toBe(480);
		expect(addIso('2027-03-27T16:00+01:00', 120, dailyOffice)).toBe(
			at('2027-03-28T10:00+02:00').toISOString()
		);
		expect(between('2027-03-27T12:00+01:00', '2027-03-28T12:00+02:00', dailyOffice)).toBe(480);
	});

	it('00:00–24:00 has 23 h on the spring-forward day and 25 h on the fall-back day', () => {
		expect(between('2027-03-28T00:00+01:00', '2027-03-29T00:00+02:00', allDay)).toBe(23 * 60);
		expect(between('2027-10-31T00:00+02:00', '2027-11-01T00:00+01:00', allDay)).toBe(25 * 60);
		expect(addIso('2027-03-28T00:00+01:00', 23 * 60, allDay)).toBe(
			at('2027-03-29T00:00+02:00').toISOString()
		);
		expect(addIso('2027-10-31T00:00+02:00', 25 * 60, allDay)).toBe(
			at('2027-11-01T00:00+01:00').toISOString()
		);
	});

	it('hours over the spring-forward gap lose the missing hour', () => {
		const sunday = (start: string, end: string) =>
			between(
				'2027-03-28T00:00+01:00',
				'2027-03-29T00:00+02:00',
				calendar(sundays(span(start, end)))
			);
		expect(sunday('01:00', '04:00')).toBe(120);
		expect(sunday('02:30', '04:00')).toBe(60);
		expect(sunday('01:30', '02:30')).toBe(30);
		expect(sunday('02:00', '03:00')).toBe(0);
		expect(
			nextOpening(at('2027-03-27T12:00+01:00'), calendar(sundays(span('02:30', '04:00'))))
		).toEqual(at('2027-03-28T03:00+02:00'));
		// 02:00–03:00 does not exist that Sunday: the next opening is a week later.
		expect(
			nextOpening(at('2027-03-27T12:00+01:00'), calendar(sundays(span('02:00', '03:00'))))
		).toEqual(at('2027-04-04T02:00+02:00'));
	});

	it('hours over the fall-back hour count it twice', () => {
		const cal = (start: string, end: string) => calendar(sundays(span(start, end)));
		const sunday = (start: string, end: string) =>
			between('2027-10-31T00:00+02:00', '2027-11-01T00:00+01:00', cal(start, end));
		expect(sunday('01:00', '04:00')).toBe(240);
		expect(sunday('02:00', '02:30')).toBe(60);
		expect(sunday('00:00', '02:30')).toBe(180);
		expect(isOpenAt(at('2027-10-31T02:15+02:00'), cal('02:00', '02:30'))).toBe(true);
		expect(isOpenAt(at('2027-10-31T02:45+02:00'), cal('02:00', '02:30'))).toBe(false);
		expect(isOpenAt(at('2027-10-31T02:15+01:00'), cal('02:00', '02:30'))).toBe(true);
		expect(addIso('2027-10-31T02:15+02:00', 30, cal('02:00', '02:30'))).toBe(
			at('2027-10-31T02:15+01:00').toISOString()
		);
	});

	it('00:00–24:00 every day equals plain arithmetic in zones with odd transitions', () => {
		const rand = mulberry32(7);
		for (const zone of [
			'America/Santiago',
			'Australia/Lord_Howe',
			'America/Havana',
			'Asia/Beirut'
		]) {
			const cal = calendar(everyDay(span('00:00', '24:00')), [], zone);
			for (let i = 0; i < 20; i++) {
				const a = Date.UTC(2026, 0, 1) + Math.floor(rand() * 3 * 365 * 86_400_000);
				const b = a + Math.floor(rand() * 40 * 86_400_000);
				expect(businessMinutesBetween(new Date(a), new Date(b), cal) * MIN).toBeCloseTo(b - a, 3);
				expect(addBusinessMinutes(new Date(a), (b - a) / MIN, cal).getTime()).toBe(b);
			}
		}
	});
});

describe('holidays', () => {
	it('Christmas on weekdays closes them; on a weekend it changes nothing', () => {
		// 2026: 25th a Friday (26th Saturday); 2027: 25th and 26th on the weekend.
		expect(between('2026-12-21T00:00+01:00', '2026-12-28T00:00+01:00', officeDE)).toBe(4 * 480);
		expect(between('2027-12-20T00:00+01:00', '2027-12-27T00:00+01:00', officeDE)).toBe(5 * 480);
		expect(addIso('2026-12-24T16:00+01:00', 120, officeDE)).toBe(
			at('2026-12-28T10:00+01:00').toISOString()
		);
		expect(isOpenAt(at('2026-12-25T10:00+01:00'), officeDE)).toBe(false);
	});

	it('Easter 2027: Karfreitag and Ostermontag closed, Himmelfahrt and Pfingstmontag too', () => {
		const week = (monday: string, next: string) => between(monday, next, officeDE);
		expect(week('2027-03-22T00:00+01:00', '2027-03-29T00:00+02:00')).toBe(4 * 480);
		expect(week('2027-03-29T00:00+02:00', '2027-04-05T00:00+02:00')).toBe(4 * 480);
		expect(week('2027-05-03T00:00+02:00', '2027-05-10T00:00+02:00')).toBe(4 * 480);
		expect(week('2027-05-17T00:00+02:00', '2027-05-24T00:00+02:00')).toBe(4 * 480);
		expect(week('2027-04-05T00:00+02:00', '2027-04-12T00:00+02:00')).toBe(5 * 480);
	});

	it('a yearly holiday repeats every year; 29 February only in leap years', () => {
		const cal = calendar(weekdays(span('09:00', '17:00')), [
			{ date: '2020-06-15', yearly: true, name: 'Firmenjubiläum' },
			{ date: '2024-02-29', yearly: true }
		]);
		expect(isOpenAt(at('2027-06-15T10:00+02:00'), cal)).toBe(false); // a Tuesday
		expect(isOpenAt(at('2027-06-16T10:00+02:00'), cal)).toBe(true);
		expect(isOpenAt(at('2028-02-29T10:00+01:00'), cal)).toBe(false); // a Tuesday
		expect(between('2027-02-22T00:00+01:00', '2027-03-01T00:00+01:00', cal)).toBe(5 * 480);
	});

	it('a date listed twice (yearly and once) is closed once, not counted twice', () => {
		const cal = calendar(weekdays(span('09:00', '17:00')), [
			{ date: '2020-12-24', yearly: true },
			{ date: '2027-12-24', yearly: false }
		]);
		expect(between('2027-12-20T00:00+01:00', '2027-12-27T00:00+01:00', cal)).toBe(4 * 480);
	});

	it('Easter Sunday by the anonymous Gregorian algorithm', () => {
		const known: [number, string][] = [
			[1943, '1943-04-25'],
			[2000, '2000-04-23'],
			[2024, '2024-03-31'],
			[2025, '2025-04-20'],
			[2026, '2026-04-05'],
			[2027, '2027-03-28'],
			[2038, '2038-04-25'],
			[2285, '2285-03-22']
		];
		for (const [year, date] of known) expect(easterSunday(year)).toBe(date);
		expect(() => easterSunday(1500)).toThrow(RangeError);
	});

	it('the German public holidays: fixed ones yearly, Easter-based ones per year', () => {
		const list = germanPublicHolidays(2027, 2028);
		expect(list.filter((h) => h.yearly).map((h) => [h.date, h.name])).toEqual([
			['2027-01-01', 'Neujahr'],
			['2027-05-01', 'Tag der Arbeit'],
			['2027-10-03', 'Tag der Deutschen Einheit'],
			['2027-12-25', '1. Weihnachtstag'],
			['2027-12-26', '2. Weihnachtstag']
		]);
		expect(list.filter((h) => !h.yearly).map((h) => [h.date, h.name])).toEqual([
			['2027-03-26', 'Karfreitag'],
			['2027-03-29', 'Ostermontag'],
			['2027-05-06', 'Christi Himmelfahrt'],
			['2027-05-17', 'Pfingstmontag'],
			['2028-04-14', 'Karfreitag'],
			['2028-04-17', 'Ostermontag'],
			['2028-05-25', 'Christi Himmelfahrt'],
			['2028-06-05', 'Pfingstmontag']
		]);
		expect(validateCalendar({ ...office, holidays: list }).holidays).toHaveLength(13);
		expect(() => germanPublicHolidays(2028, 2027)).toThrow(RangeError);
	});
});

describe('intervals ending at 24:00', () => {
	it('22:00–24:00 and the next day 00:00–06:00 are one night shift', () => {
		expect(addIso('2027-03-22T23:00+01:00', 120, nightShift)).toBe(
			at('2027-03-23T01:00+01:00').toISOString()
		);
		expect(isOpenAt(at('2027-03-22T23:59:59.999+01:00'), nightShift)).toBe(true);
		expect(isOpenAt(at('2027-03-23T00:00+01:00'), nightShift)).toBe(true);
		expect(between('2027-03-22T22:00+01:00', '2027-03-23T06:00+01:00', nightShift)).toBe(480);
		// Friday night ends at 24:00 (Saturday has no hours); counting resumes Monday 00:00.
		expect(addIso('2027-03-19T23:00+01:00', 120, nightShift)).toBe(
			at('2027-03-22T01:00+01:00').toISOString()
		);
	});
});

describe('24×7', () => {
	it('is plain arithmetic, always open, and frozen', () => {
		const from = at('2027-03-28T01:30+01:00');
		expect(addBusinessMinutes(from, 90.5, TWENTY_FOUR_SEVEN).getTime()).toBe(
			from.getTime() + 90.5 * MIN
		);
		expect(businessMinutesBetween(from, at('2027-03-29T01:30+02:00'), TWENTY_FOUR_SEVEN)).toBe(
			23 * 60
		);
		expect(isOpenAt(from, TWENTY_FOUR_SEVEN)).toBe(true);
		expect(nextOpening(from, TWENTY_FOUR_SEVEN)).toEqual(from);
		expect(addBusinessMinutes(from, 0, TWENTY_FOUR_SEVEN)).toEqual(from);
		expect(Object.isFrozen(TWENTY_FOUR_SEVEN.hours[0]?.[0])).toBe(true);
		expect(validateCalendar(TWENTY_FOUR_SEVEN)).toEqual(TWENTY_FOUR_SEVEN);
	});

	it('alwaysOpen ignores hours and holidays', () => {
		const cal = { ...officeDE, alwaysOpen: true };
		expect(between('2026-12-25T00:00+01:00', '2026-12-26T00:00+01:00', cal)).toBe(24 * 60);
	});
});

describe('errors instead of endless walks', () => {
	it('a calendar that is never open throws', () => {
		const never = calendar([[], [], [], [], [], [], []]);
		expect(() => addBusinessMinutes(at('2027-01-01T00:00Z'), 10, never)).toThrow(/never open/);
		expect(() => nextOpening(at('2027-01-01T00:00Z'), never)).toThrow(/never open/);
		expect(() => isOpenAt(at('2027-01-01T00:00Z'), never)).toThrow(/never open/);
	});

	it('hours that holidays close for over 3 years throw instead of walking on', () => {
		const mondays: Holiday[] = [];
		for (let d = Date.UTC(2027, 0, 4); d < Date.UTC(2031, 0, 1); d += 7 * 86_400_000) {
			mondays.push({ date: new Date(d).toISOString().slice(0, 10), yearly: false });
		}
		const cal = calendar([[span('09:00', '17:00')], [], [], [], [], [], []], mondays);
		expect(() => addBusinessMinutes(at('2027-01-01T00:00Z'), 1, cal)).toThrow(/within 3 years/);
		expect(() => nextOpening(at('2027-01-01T00:00Z'), cal)).toThrow(/within 3 years/);
		expect(between('2027-01-01T00:00Z', '2030-12-31T00:00Z', cal)).toBe(0);
		// A target too large for 3 years of office hours is refused the same way.
		expect(() => addBusinessMinutes(at('2027-01-01T00:00Z'), 4 * 260 * 480, office)).toThrow(
			/within 3 years/
		);
	});

	it('bad arguments are refused', () => {
		const t = at('2027-01-04T10:00+01:00');
		expect(() => addBusinessMinutes(t, -1, office)).toThrow(RangeError);
		expect(() => addBusinessMinutes(t, Number.NaN, office)).toThrow(RangeError);
		expect(() => addBusinessMinutes(new Date('nope'), 1, office)).toThrow(/not a valid date/);
		expect(() => businessMinutesBetween(t, new Date(8.64e15), office)).toThrow(/100 years/);
		expect(() => isOpenAt(t, { ...office, timeZone: 'Mars/Olympus' })).toThrow(
			'Unknown time zone: Mars/Olympus'
		);
		expect(() => isOpenAt(t, calendar(weekdays(span('17:00', '09:00'))))).toThrow(/Invalid hours/);
	});
});

describe('independence from the server time zone', () => {
	const saved = process.env.TZ;
	afterEach(() => {
		if (saved === undefined) delete process.env.TZ;
		else process.env.TZ = saved;
	});

	const battery = () => [
		addIso('2027-03-19T16:00+01:00', 240, office),
		addIso('2027-03-25T16:00+01:00', 240, officeDE),
		addIso('2027-10-30T23:00+02:00', 600, allDay),
		addIso('2026-12-31T23:30+01:00', 90, nightShift),
		between('2027-03-28T00:00+01:00', '2027-03-29T00:00+02:00', allDay),
		between('2026-12-01T00:00+01:00', '2027-06-01T00:00+02:00', officeDE),
		isOpenAt(at('2027-03-22T09:00+01:00'), office),
		isOpenAt(at('2027-03-22T08:30Z'), office),
		nextOpening(at('2027-04-02T12:00+02:00'), officeDE).toISOString()
	];

	it('gives identical results in UTC, Pacific/Auckland and America/Los_Angeles', () => {
		process.env.TZ = 'UTC';
		const utc = battery();
		for (const zone of ['Pacific/Auckland', 'America/Los_Angeles']) {
			process.env.TZ = zone;
			expect(new Date(Date.UTC(2027, 0, 1)).getTimezoneOffset()).not.toBe(0); // TZ took effect
			expect(battery(), zone).toEqual(utc);
		}
		expect(utc[0]).toBe(at('2027-03-22T12:00+01:00').toISOString());
	});
});

describe('properties over pseudo-random inputs (fixed seed)', () => {
	const calendars: [string, BusinessCalendar][] = [
		['office DE', officeDE],
		[
			'split shifts, Auckland',
			calendar(
				[...weekdays(span('08:00', '12:00'), span('13:00', '17:30'))].map((d, i) =>
					i === 5 ? [span('10:00', '14:00')] : d
				),
				[{ date: '2026-12-25', yearly: true }],
				'Pacific/Auckland'
			)
		],
		[
			'night shift, New York',
			calendar(
				everyDay(span('00:00', '06:00'), span('22:00', '24:00')),
				[{ date: '2027-07-04', yearly: true }],
				'America/New_York'
			)
		],
		['gap hours, Berlin', calendar(everyDay(span('01:30', '02:30'), span('02:45', '03:15')))]
	];
	const START = Date.UTC(2026, 0, 1);
	const YEARS_3 = 3 * 365 * 86_400_000;

	it('businessMinutesBetween(from, addBusinessMinutes(from, m)) === m', () => {
		const rand = mulberry32(20_270_328);
		for (let i = 0; i < 400; i++) {
			const [name, cal] = calendars[i % calendars.length]!;
			const from = new Date(START + Math.floor(rand() * YEARS_3));
			const m = Math.floor(rand() * 3 * 7 * 24 * 60 * MIN) / MIN;
			const due = addBusinessMinutes(from, m, cal);
			expect(due.getTime(), name).toBeGreaterThanOrEqual(from.getTime());
			expect(businessMinutesBetween(from, due, cal), `${name} ${from.toISOString()} +${m}`).toBe(m);
			if (m > 0) expect(isOpenAt(new Date(due.getTime() - 1), cal), name).toBe(true);
		}
	});

	it('between is additive; addBusinessMinutes(a, between(a, b)) never passes b once time has run', () => {
		const rand = mulberry32(42);
		for (let i = 0; i < 200; i++) {
			const [name, cal] = calendars[i % calendars.length]!;
			const [a, b, c] = [0, 0, 0]
				.map(() => START + Math.floor(rand() * 60 * 86_400_000) + i * 5 * 86_400_000)
				.sort((x, y) => x - y)
				.map((t) => new Date(t)) as [Date, Date, Date];
			const ab = businessMinutesBetween(a, b, cal);
			const bc = businessMinutesBetween(b, c, cal);
			expect(Math.round((ab + bc) * MIN), name).toBe(
				Math.round(businessMinutesBetween(a, c, cal) * MIN)
			);
			const due = addBusinessMinutes(a, ab, cal);
			// With no business time in [a, b) the zero-minute rule answers the next opening.
			if (ab > 0) expect(due.getTime(), name).toBeLessThanOrEqual(b.getTime());
			else expect(due, name).toEqual(nextOpening(a, cal));
		}
	});

	it('agrees with a minute-by-minute reference built on luxon wall clocks', () => {
		const rand = mulberry32(9);
		// The first eight start just before a DST switch of their calendar's zone (or a holiday).
		const fixed = [
			Date.UTC(2027, 2, 27),
			Date.UTC(2027, 3, 3),
			Date.UTC(2027, 2, 13),
			Date.UTC(2027, 9, 30),
			Date.UTC(2026, 11, 24),
			Date.UTC(2027, 8, 25),
			Date.UTC(2027, 10, 6),
			Date.UTC(2027, 2, 27)
		];
		for (let i = 0; i < 16; i++) {
			const [name, cal] = calendars[i % calendars.length]!;
			const start = fixed[i] ?? START + Math.floor((rand() * YEARS_3) / MIN) * MIN;
			const end = start + Math.floor(rand() * 3 * 24 * 60 + 24 * 60) * MIN;
			let open = 0;
			for (let t = start; t < end; t += MIN) {
				const ref = referenceOpen(t, cal);
				if (ref) open++;
				if (t % (37 * MIN) === 0) expect(isOpenAt(new Date(t), cal), `${name} ${t}`).toBe(ref);
			}
			expect(businessMinutesBetween(new Date(start), new Date(end), cal), name).toBe(open);
		}
	});
});

describe('validateCalendar', () => {
	const valid = {
		timeZone: 'Europe/Berlin',
		hours: weekdays(span('13:00', '17:00'), span('09:00', '12:00')),
		holidays: [{ date: '2027-12-24', yearly: true, name: ' Heiligabend ' }]
	};

	function fieldsOf(input: unknown) {
		try {
			validateCalendar(input);
		} catch (err) {
			expect(err).toBeInstanceOf(AppError);
			expect((err as AppError).code).toBe('BAD_REQUEST');
			return (err as AppError).fields;
		}
		throw new Error('expected the calendar to be refused');
	}

	it('accepts a calendar, sorting intervals and filling defaults', () => {
		const cal = validateCalendar(valid);
		expect(cal.alwaysOpen).toBe(false);
		expect(cal.hours[0]).toEqual([span('09:00', '12:00'), span('13:00', '17:00')]);
		expect(cal.holidays).toEqual([{ date: '2027-12-24', yearly: true, name: 'Heiligabend' }]);
		expect(
			validateCalendar({ timeZone: 'UTC', alwaysOpen: true, hours: everyDay() }).holidays
		).toEqual([]);
		expect(
			businessCalendarSchema.safeParse({ ...valid, hours: weekdays(span('00:00', '24:00')) })
				.success
		).toBe(true);
	});

	it('names an unknown time zone', () => {
		expect(fieldsOf({ ...valid, timeZone: 'Mars/Olympus' })).toEqual({
			timeZone: ['Unknown time zone: Mars/Olympus']
		});
		expect(() => validateCalendar({ ...valid, timeZone: 'Mars/Olympus' })).toThrow(
			'The business calendar is not valid: Unknown time zone: Mars/Olympus'
		);
	});

	it('refuses malformed times, with the field that holds them', () => {
		const hours = everyDay();
		hours[0] = [span('9:00', '17:00')];
		hours[1] = [span('09:00', '24:30')];
		hours[2] = [span('24:00', '24:00')];
		hours[3] = [span('09:60', 'noon')];
		expect(fieldsOf({ ...valid, hours })).toEqual({
			'hours.0.0.start': ['Not a valid time: 9:00 (use HH:MM from 00:00 to 23:59).'],
			'hours.1.0.end': ['Not a valid time: 24:30 (use HH:MM from 00:00 to 24:00).'],
			'hours.2.0.start': ['Not a valid time: 24:00 (use HH:MM from 00:00 to 23:59).'],
			'hours.3.0.start': ['Not a valid time: 09:60 (use HH:MM from 00:00 to 23:59).'],
			'hours.3.0.end': ['Not a valid time: noon (use HH:MM from 00:00 to 24:00).']
		});
	});

	it('refuses an end not after its start', () => {
		expect(fieldsOf({ ...valid, hours: weekdays(span('17:00', '09:00')) })).toMatchObject({
			'hours.0.0.end': ['The end (09:00) must be after the start (17:00).']
		});
		expect(fieldsOf({ ...valid, hours: sundays(span('10:00', '10:00')) })).toEqual({
			'hours.6.0.end': ['The end (10:00) must be after the start (10:00).']
		});
	});

	it('refuses overlapping intervals but allows touching ones', () => {
		expect(
			fieldsOf({ ...valid, hours: sundays(span('12:00', '18:00'), span('08:00', '12:30')) })
		).toEqual({
			'hours.6.0.start': ['12:00–18:00 overlaps 08:00–12:30.']
		});
		expect(
			validateCalendar({ ...valid, hours: sundays(span('08:00', '12:00'), span('12:00', '13:00')) })
				.hours[6]
		).toHaveLength(2);
	});

	it('refuses invalid holiday dates', () => {
		expect(
			fieldsOf({
				...valid,
				holidays: [{ date: '2027-02-30' }, { date: '24.12.2027', yearly: true }]
			})
		).toEqual({
			'holidays.0.date': ['Not a valid date: 2027-02-30 (use YYYY-MM-DD).'],
			'holidays.1.date': ['Not a valid date: 24.12.2027 (use YYYY-MM-DD).']
		});
	});

	it('refuses a calendar that is never open, and hours not listing 7 days', () => {
		expect(fieldsOf({ ...valid, hours: everyDay() })).toEqual({
			hours: [
				'The business calendar is never open: give opening hours for at least one day, or mark it as always open.'
			]
		});
		expect(fieldsOf({ ...valid, hours: [[span('09:00', '17:00')]] })).toEqual({
			hours: ['Opening hours must list the 7 days, Monday first.']
		});
		expect(Object.keys(fieldsOf({ hours: 'always' }) ?? {}).sort()).toEqual(['hours', 'timeZone']);
	});
});

/** Open per the calendar's definition, read off luxon's wall clock — independent of calendar.ts. */
function referenceOpen(t: number, cal: BusinessCalendar): boolean {
	const wall = DateTime.fromMillis(t, { zone: cal.timeZone });
	const date = wall.toISODate()!;
	const closed = cal.holidays.some((h) =>
		h.yearly ? h.date.slice(5) === date.slice(5) : h.date === date
	);
	if (closed) return false;
	const minute = wall.hour * 60 + wall.minute;
	const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
	return (cal.hours[wall.weekday - 1] ?? []).some(
		(i) => toMin(i.start) <= minute && minute < toMin(i.end)
	);
}

/** A small seeded PRNG, so the random cases are the same on every run. */
function mulberry32(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}
