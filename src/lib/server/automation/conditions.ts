import { DateTime } from 'luxon';
import type { Condition, ConditionField, Conditions, TimeWindow } from './schemas';

/** A ticket as rules see it: ids for references, plain values for the rest. */
export interface RuleTicket {
	status: string;
	priority: string;
	source: string;
	typeId: string | null;
	categoryId: string | null;
	groupId: string | null;
	assigneeId: string | null;
	requesterId: string;
	subject: string;
	description: string;
	requesterEmail: string | null;
	requesterDepartment: string | null;
	tags: string[];
	customFields: Record<string, unknown>;
}

/** What happened: the changes an update made, the reply that woke the rule, the moment. */
export interface RuleEvent {
	/** Keyed like condition fields ('status', 'group', 'tags', 'custom.<key>'). */
	changes?: Record<string, { from: unknown; to: unknown }>;
	reply?: { body: string; author: 'requester' | 'agent'; kind: 'public' | 'internal' };
	now: Date;
}

const REF_COLUMN = {
	type: 'typeId',
	category: 'categoryId',
	group: 'groupId',
	assignee: 'assigneeId',
	requester: 'requesterId'
} as const;

/** A condition field's current value on the ticket (or the event). */
function valueOf(t: RuleTicket, e: RuleEvent, c: Condition): unknown {
	const f = c.field;
	if (f in REF_COLUMN) return t[REF_COLUMN[f as keyof typeof REF_COLUMN]];
	switch (f) {
		case 'custom':
			return t.customFields[c.key ?? ''] ?? null;
		case 'text':
			return [t.subject, t.description, e.reply?.body ?? ''].join('\n');
		case 'replyAuthor':
			return e.reply?.author ?? null;
		case 'replyKind':
			return e.reply?.kind ?? null;
		case 'time':
			return e.now;
		default:
			return t[f as keyof RuleTicket];
	}
}

const changeKey = (c: Condition) => (c.field === 'custom' ? `custom.${c.key}` : c.field);
const lower = (v: unknown) => (v === null || v === undefined ? '' : String(v)).toLowerCase();
const isEmpty = (v: unknown) =>
	v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** Does one condition hold? Text comparisons ignore case; lists mean "any of". */
export function holds(c: Condition, t: RuleTicket, e: RuleEvent): boolean {
	const value = valueOf(t, e, c);
	const list = Array.isArray(c.value) ? (c.value as string[]) : [];
	const change = e.changes?.[changeKey(c)];
	switch (c.op) {
		case 'in':
			return value !== null && list.includes(String(value));
		case 'notIn':
			return value === null || !list.includes(String(value));
		case 'isEmpty':
			return isEmpty(value);
		case 'isNotEmpty':
			return !isEmpty(value);
		case 'changed':
			return change !== undefined;
		case 'changedTo':
			return change !== undefined && list.includes(String(change.to));
		case 'changedFrom':
			return change !== undefined && list.includes(String(change.from));
		case 'contains':
			return lower(value).includes(lower(c.value));
		case 'notContains':
			return !lower(value).includes(lower(c.value));
		case 'is':
			return lower(value) === lower(c.value);
		case 'isNot':
			return lower(value) !== lower(c.value);
		case 'startsWith':
			return lower(value).startsWith(lower(c.value));
		case 'endsWith':
			return lower(value).endsWith(lower(c.value));
		case 'gt':
		case 'lt': {
			const n = typeof value === 'number' ? value : Number(value);
			if (value === null || value === '' || !Number.isFinite(n)) return false;
			return c.op === 'gt' ? n > (c.value as number) : n < (c.value as number);
		}
		case 'includesAny':
		case 'includesAll':
		case 'excludes': {
			const tags = new Set((value as string[]).map((x) => x.toLowerCase()));
			const wanted = list.map((x) => x.toLowerCase());
			if (c.op === 'includesAny') return wanted.some((x) => tags.has(x));
			if (c.op === 'includesAll') return wanted.every((x) => tags.has(x));
			return !wanted.some((x) => tags.has(x));
		}
		case 'within':
			return inWindow(e.now, c.value as TimeWindow);
		case 'outside':
			return !inWindow(e.now, c.value as TimeWindow);
		default:
			return false;
	}
}

/** Is `now` on one of the window's days (1 = Monday) between its hours, in its time zone? */
export function inWindow(now: Date, w: TimeWindow): boolean {
	const local = DateTime.fromJSDate(now, { zone: w.timeZone });
	const hhmm = local.toFormat('HH:mm');
	return w.days.includes(local.weekday) && hhmm >= w.from && hhmm < w.to;
}

/** All conditions (or any, by `match`); no conditions match every ticket. */
export function matches(conditions: Conditions, t: RuleTicket, e: RuleEvent): boolean {
	if (!conditions.conditions.length) return true;
	const test = (c: Condition) => holds(c, t, e);
	return conditions.match === 'any'
		? conditions.conditions.some(test)
		: conditions.conditions.every(test);
}

/** Condition fields whose values are ids of other records (checked on save, shown by name). */
export const REF_FIELDS = Object.keys(REF_COLUMN) as ConditionField[];
