/**
 * Holiday dates for business calendars: the date checks and the day lookup used by the calendar
 * walk, and the nationwide German public holidays for the demo data. Pure — no clock, no I/O.
 */

/** A closed day, written in the calendar's own zone; `yearly` repeats it on that month/day. */
export interface Holiday {
	/** YYYY-MM-DD; for a yearly holiday the year only says since when it was entered. */
	date: string;
	yearly: boolean;
	name?: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD (2027-02-30 and 2027-2-3 are not). */
export function isIsoDate(value: string): boolean {
	const m = ISO_DATE.exec(value);
	if (!m) return false;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const d = new Date(Date.UTC(year, month - 1, day));
	return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * A lookup `isHoliday('2027-12-25')`. A yearly holiday on 29 February only falls in leap years.
 * Listing a date twice (or as yearly and once) closes it once — nothing is counted twice.
 */
export function holidayMatcher(holidays: readonly Holiday[]): (isoDate: string) => boolean {
	const once = new Set<string>();
	const yearly = new Set<string>();
	for (const h of holidays) {
		if (!isIsoDate(h.date)) throw new Error(`Not a valid holiday date: ${h.date}`);
		if (h.yearly) yearly.add(h.date.slice(5));
		else once.add(h.date);
	}
	return (isoDate) => once.has(isoDate) || yearly.has(isoDate.slice(5));
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function checkYear(year: number) {
	if (!Number.isInteger(year) || year < 1583 || year > 9999) {
		throw new RangeError(`Year must be a whole number from 1583 to 9999, not ${year}.`);
	}
}

/** Easter Sunday (YYYY-MM-DD) by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
	checkYear(year);
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return isoDay(Date.UTC(year, month - 1, day));
}

const FIXED: readonly [monthDay: string, name: string][] = [
	['01-01', 'Neujahr'],
	['05-01', 'Tag der Arbeit'],
	['10-03', 'Tag der Deutschen Einheit'],
	['12-25', '1. Weihnachtstag'],
	['12-26', '2. Weihnachtstag']
];

/** Days after Easter Sunday. */
const MOVABLE: readonly [offset: number, name: string][] = [
	[-2, 'Karfreitag'],
	[1, 'Ostermontag'],
	[39, 'Christi Himmelfahrt'],
	[50, 'Pfingstmontag']
];

/**
 * The nationwide German public holidays for `fromYear`…`toYear` (inclusive): the fixed ones once
 * each as yearly entries, the Easter-based ones as single dates per year; sorted by date.
 * State holidays (Heilige Drei Könige, Fronleichnam, Reformationstag, …) are not included.
 */
export function germanPublicHolidays(fromYear: number, toYear: number): Holiday[] {
	checkYear(fromYear);
	checkYear(toYear);
	if (toYear < fromYear) throw new RangeError(`toYear ${toYear} is before fromYear ${fromYear}.`);
	const list: Holiday[] = FIXED.map(([monthDay, name]) => ({
		date: `${fromYear}-${monthDay}`,
		yearly: true,
		name
	}));
	for (let year = fromYear; year <= toYear; year++) {
		const easter = Date.parse(easterSunday(year));
		for (const [offset, name] of MOVABLE) {
			list.push({ date: isoDay(easter + offset * DAY_MS), yearly: false, name });
		}
	}
	return list.sort((x, y) => x.date.localeCompare(y.date));
}
