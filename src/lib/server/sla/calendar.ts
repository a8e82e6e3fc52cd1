/**
 * Business-hours arithmetic for SLA timers. Pure: no database, no clock, and nothing depends on
 * the server's own time zone — wall times are read in the calendar's zone through luxon.
 *
 * A moment is open when its wall clock in `timeZone` lies in one of that weekday's [start, end)
 * intervals and its date is not a holiday. So a 09:00–17:00 day is open at 09:00, closed at
 * 17:00; an interval over the spring-forward gap loses the missing hour, one over the fall-back
 * hour counts it twice (00:00–24:00 is 23 h and 25 h on those days); '24:00' followed by the
 * next day's '00:00' is one uninterrupted stretch (night shifts).
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { AppError, type FieldErrors } from '../errors';
import { holidayMatcher, isIsoDate, type Holiday } from './holidays';

export type { Holiday } from './holidays';

export interface BusinessInterval {
	/** 'HH:MM', 00:00–23:59 */
	start: string;
	/** 'HH:MM', after start; may be '24:00' */
	end: string;
}

export interface BusinessCalendar {
	/** IANA, e.g. 'Europe/Berlin' */
	timeZone: string;
	/** true: 24×7, hours and holidays ignored */
	alwaysOpen: boolean;
	/** index 0 = Monday … 6 = Sunday; each day zero or more [start, end) intervals */
	hours: BusinessInterval[][];
	/** dates in the calendar's zone; yearly: repeats every year on that month/day */
	holidays: Holiday[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** UTC offsets stay within −12 h … +14 h; the margin also covers old local mean times. */
const OFFSET_MARGIN_MS = 16 * 3_600_000;
/** How far addBusinessMinutes and nextOpening walk before giving up. */
export const MAX_WALK_YEARS = 3;
/** businessMinutesBetween refuses longer ranges: such a range is a broken date, not an SLA. */
export const MAX_RANGE_YEARS = 100;
const NEVER_OPEN =
	'The business calendar is never open: give opening hours for at least one day, or mark it as always open.';

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object') Object.values(value).forEach(deepFreeze);
	return Object.freeze(value);
}

/** Open around the clock (hours are listed too, so it reads 24×7 either way); frozen. */
export const TWENTY_FOUR_SEVEN: BusinessCalendar = deepFreeze({
	timeZone: 'UTC',
	alwaysOpen: true,
	hours: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]),
	holidays: []
});

// ── Validation ──────────────────────────────────────────────────────────────────────────────────

const TIME = /^(\d{2}):(\d{2})$/;

/** Milliseconds after midnight for 'HH:MM' (up to 23:59, or exactly 24:00 for an end), else null. */
function parseTime(value: string, isEnd: boolean): number | null {
	const m = TIME.exec(value);
	if (!m) return null;
	const [h, min] = [Number(m[1]), Number(m[2])];
	if (min > 59 || h > 24 || (h === 24 && (min > 0 || !isEnd))) return null;
	return (h * 60 + min) * MINUTE_MS;
}

const time = (isEnd: boolean) =>
	z.string({ error: 'A time is required.' }).refine((v) => parseTime(v, isEnd) !== null, {
		error: (issue) =>
			`Not a valid time: ${String(issue.input)} (use HH:MM from 00:00 to ${isEnd ? '24:00' : '23:59'}).`
	});

const times = (i: BusinessInterval) => [parseTime(i.start, false), parseTime(i.end, true)] as const;
/** Both times well-formed and the end after the start. */
const wellFormed = (i: BusinessInterval) => {
	const [s, e] = times(i);
	return s !== null && e !== null && e > s;
};
const byStart = (x: BusinessInterval, y: BusinessInterval) => x.start.localeCompare(y.start);

const intervalSchema = z.object({ start: time(false), end: time(true) }).refine(
	(i) => wellFormed(i) || times(i).includes(null), // a malformed time has its own message
	{
		path: ['end'],
		error: (issue) => {
			const i = issue.input as BusinessInterval;
			return `The end (${i.end}) must be after the start (${i.start}).`;
		}
	}
);

const daySchema = z
	.array(intervalSchema)
	.superRefine((intervals, ctx) => {
		if (!intervals.every(wellFormed)) return;
		const sorted = intervals.map((interval, index) => ({ ...interval, index })).sort(byStart);
		sorted.forEach((cur, k) => {
			const prev = sorted[k - 1];
			if (prev && cur.start < prev.end) {
				ctx.addIssue({
					code: 'custom',
					path: [cur.index, 'start'],
					message: `${cur.start}–${cur.end} overlaps ${prev.start}–${prev.end}.`
				});
			}
		});
	})
	.transform((intervals) => [...intervals].sort(byStart));

const holidaySchema = z.object({
	date: z.string({ error: 'A date is required.' }).refine(isIsoDate, {
		error: (issue) => `Not a valid date: ${String(issue.input)} (use YYYY-MM-DD).`
	}),
	yearly: z.boolean({ error: 'Yearly must be true or false.' }).default(false),
	name: z.string().trim().max(100, 'Name must be at most 100 characters.').optional()
});

/** A business calendar as admins enter it; intervals come out sorted by start. */
export const businessCalendarSchema = z
	.object({
		timeZone: z
			.string({ error: 'A time zone is required.' })
			.trim()
			.refine((tz) => IANAZone.isValidZone(tz), {
				error: (issue) => `Unknown time zone: ${String(issue.input)}`
			}),
		alwaysOpen: z.boolean({ error: 'Always open must be true or false.' }).default(false),
		hours: z
			.array(daySchema, { error: 'Opening hours must list the 7 days, Monday first.' })
			.length(7, 'Opening hours must list the 7 days, Monday first.'),
		holidays: z.array(holidaySchema, { error: 'Holidays must be a list.' }).default([])
	})
	.refine((c) => c.alwaysOpen || c.hours.some((d) => d.length > 0), {
		path: ['hours'],
		message: NEVER_OPEN
	});

/**
 * Parses admin input into a BusinessCalendar, or throws a BAD_REQUEST AppError whose `fields`
 * are keyed by path ('timeZone', 'hours.0.1.end', 'holidays.2.date').
 */
export function validateCalendar(input: unknown): BusinessCalendar {
	const parsed = businessCalendarSchema.safeParse(input);
	if (parsed.success) return parsed.data;
	const fields: FieldErrors = {};
	for (const issue of parsed.error.issues) {
		(fields[issue.path.map(String).join('.') || '_form'] ??= []).push(issue.message);
	}
	const first = parsed.error.issues[0]?.message ?? 'check the fields.';
	throw new AppError('BAD_REQUEST', `The business calendar is not valid: ${first}`, fields);
}

// ── The walk ────────────────────────────────────────────────────────────────────────────────────

/** [start, end) in UTC milliseconds. */
type Span = readonly [start: number, end: number];

interface Compiled {
	zone: IANAZone;
	/** per weekday (0 = Monday): [start, end) in ms after local midnight */
	hours: Span[][];
	isHoliday: (isoDate: string) => boolean;
}

function compile(cal: BusinessCalendar): Compiled {
	const zone = IANAZone.create(cal.timeZone);
	if (!zone.isValid) throw new Error(`Unknown time zone: ${cal.timeZone}`);
	const hours = Array.from({ length: 7 }, (_, day) =>
		(cal.hours[day] ?? []).map(({ start, end }): Span => {
			const [s, e] = [parseTime(start, false), parseTime(end, true)];
			if (s === null || e === null || e <= s) throw new Error(`Invalid hours: ${start}–${end}`);
			return [s, e];
		})
	);
	if (hours.every((d) => d.length === 0)) throw new Error(NEVER_OPEN);
	return { zone, hours, isHoliday: holidayMatcher(cal.holidays) };
}

const offsetMs = (zone: IANAZone, t: number) => zone.offset(t) * MINUTE_MS;

/** Sorted, with overlapping or touching spans joined. */
function merge(spans: Span[]): Span[] {
	const out: [number, number][] = [];
	for (const [s, e] of [...spans].sort((x, y) => x[0] - y[0])) {
		const last = out.at(-1);
		if (last && s <= last[1]) last[1] = Math.max(last[1], e);
		else out.push([s, e]);
	}
	return out;
}

/**
 * Stretches of constant UTC offset over [lo, hi]: one, or two around the transition (found by
 * bisection to the millisecond). Assumes at most one transition within ~2.5 days.
 */
function offsetSegments(zone: IANAZone, lo: number, hi: number) {
	const [before, after] = [offsetMs(zone, lo), offsetMs(zone, hi)];
	if (before === after) return [{ from: -Infinity, to: Infinity, offset: before }];
	while (hi - lo > 1) {
		const mid = Math.floor((lo + hi) / 2);
		if (offsetMs(zone, mid) === before) lo = mid;
		else hi = mid;
	}
	return [
		{ from: -Infinity, to: hi, offset: before },
		{ from: hi, to: Infinity, offset: after }
	];
}

/** The open instants of one local date (`day` = days since 1970-01-01 on the wall calendar). */
function daySpans(c: Compiled, day: number): Span[] {
	const midnight = day * DAY_MS; // local midnight, read as if the wall clock were UTC
	const date = new Date(midnight);
	const intervals = c.hours[(date.getUTCDay() + 6) % 7] ?? [];
	if (intervals.length === 0 || c.isHoliday(date.toISOString().slice(0, 10))) return [];
	const segments = offsetSegments(
		c.zone,
		midnight - OFFSET_MARGIN_MS,
		midnight + DAY_MS + OFFSET_MARGIN_MS
	);
	const spans: Span[] = [];
	for (const [s, e] of intervals) {
		for (const seg of segments) {
			const start = Math.max(seg.from, midnight + s - seg.offset);
			const end = Math.min(seg.to, midnight + e - seg.offset);
			if (start < end) spans.push([start, end]);
		}
	}
	return merge(spans);
}

/**
 * Open spans within [from, until), in order, one window of 24 h of real time at a time. Each
 * window collects the local dates it can touch (so odd zones whose clocks go back over midnight
 * still come out in order); a date is computed once.
 */
function* openSpans(c: Compiled, from: number, until: number): Generator<Span> {
	const days = new Map<number, Span[]>();
	for (let w = from; w < until; w += DAY_MS) {
		const wEnd = Math.min(w + DAY_MS, until);
		const first = Math.floor((w - OFFSET_MARGIN_MS) / DAY_MS);
		const last = Math.floor((wEnd + OFFSET_MARGIN_MS) / DAY_MS);
		for (const d of days.keys()) if (d < first) days.delete(d);
		const found: Span[] = [];
		for (let d = first; d <= last; d++) {
			let spans = days.get(d);
			if (!spans) days.set(d, (spans = daySpans(c, d)));
			for (const [s, e] of spans) {
				const [a, b] = [Math.max(s, w), Math.min(e, wEnd)];
				if (a < b) found.push([a, b]);
			}
		}
		yield* found.sort((x, y) => x[0] - y[0]);
	}
}

function ms(date: Date, name: string): number {
	const t = date instanceof Date ? date.getTime() : NaN;
	if (Number.isNaN(t)) throw new RangeError(`${name} is not a valid date.`);
	return t;
}

const walkLimit = (from: number) => from + MAX_WALK_YEARS * 366 * DAY_MS;
const notReached = (what: string, from: number) =>
	new Error(
		`${what} within ${MAX_WALK_YEARS} years after ${new Date(from).toISOString()}: the calendar's hours and holidays leave too little open time.`
	);

// ── Public API ──────────────────────────────────────────────────────────────────────────────────

/**
 * The instant at which `minutes` of business time have elapsed after `from`, exact to the
 * millisecond (`minutes` may be fractional and is rounded to whole milliseconds).
 *
 * Counting starts at `nextOpening(from)`, and the result is the first instant at which the
 * target is reached: so **0 minutes** gives `from` when open, else the next opening; a target
 * met exactly at closing gives the closing instant (Fri 13:00 + 4 h → Fri 17:00), not the next
 * morning. `from` exactly at an opening counts from there; exactly at a closing it is closed.
 *
 * @throws RangeError for an invalid date or a negative / non-finite `minutes`; Error for a
 * calendar that is never open, or a target not reached within MAX_WALK_YEARS.
 */
export function addBusinessMinutes(from: Date, minutes: number, cal: BusinessCalendar): Date {
	const start = ms(from, 'from');
	if (!Number.isFinite(minutes) || minutes < 0) {
		throw new RangeError(`minutes must be a finite number ≥ 0, not ${minutes}.`);
	}
	let left = Math.round(minutes * MINUTE_MS);
	if (cal.alwaysOpen) return new Date(start + left);
	for (const [s, e] of openSpans(compile(cal), start, walkLimit(start))) {
		if (left <= e - s) return new Date(s + left);
		left -= e - s;
	}
	throw notReached(`${minutes} business minutes are not reached`, start);
}

/**
 * Business minutes in [a, b), exact to the millisecond (a fraction of minutes); 0 when b ≤ a.
 * The inverse of addBusinessMinutes: businessMinutesBetween(t, addBusinessMinutes(t, m)) === m
 * for m in whole milliseconds.
 *
 * @throws RangeError for invalid dates or a range over MAX_RANGE_YEARS; Error for a calendar
 * that is never open.
 */
export function businessMinutesBetween(a: Date, b: Date, cal: BusinessCalendar): number {
	const [from, until] = [ms(a, 'a'), ms(b, 'b')];
	if (until <= from) return 0;
	if (cal.alwaysOpen) return (until - from) / MINUTE_MS;
	if (until - from > MAX_RANGE_YEARS * 366 * DAY_MS) {
		throw new RangeError(`The range is longer than ${MAX_RANGE_YEARS} years.`);
	}
	let total = 0;
	for (const [s, e] of openSpans(compile(cal), from, until)) total += e - s;
	return total / MINUTE_MS;
}

/** Whether business time runs at `at` (intervals are [start, end): open at 09:00, not at 17:00). */
export function isOpenAt(at: Date, cal: BusinessCalendar): boolean {
	const t = ms(at, 'at');
	if (cal.alwaysOpen) return true;
	const c = compile(cal);
	const day = Math.floor((t + offsetMs(c.zone, t)) / DAY_MS);
	return daySpans(c, day).some(([s, e]) => s <= t && t < e);
}

/**
 * When business time next runs: `at` itself when open at `at`, else the start of the next open
 * stretch. @throws Error when nothing opens within MAX_WALK_YEARS.
 */
export function nextOpening(at: Date, cal: BusinessCalendar): Date {
	const t = ms(at, 'at');
	if (cal.alwaysOpen) return new Date(t);
	const next = openSpans(compile(cal), t, walkLimit(t)).next();
	if (next.done) throw notReached('Nothing opens', t);
	return new Date(next.value[0]);
}
