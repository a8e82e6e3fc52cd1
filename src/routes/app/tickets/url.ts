import type { SlaState } from '$lib/sla';

/**
 * The ticket list's filters in the URL, so every list (and every view) is a link:
 * `?status=open,pending&assignee=me&q=printer&sort=priority`. Enums are lower-case, lists are
 * comma-separated, dates are days (`createdTo` is inclusive here and exclusive in the query).
 * Shared by the page load (URL → filters) and the page (filters → URL).
 */
export const STATUS_VALUES = ['NEW', 'OPEN', 'PENDING', 'ON_HOLD', 'RESOLVED', 'CLOSED'] as const;
export const PRIORITY_VALUES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const SOURCE_VALUES = ['PORTAL', 'FORM', 'EMAIL', 'API', 'CHAT', 'AGENT'] as const;
/** Rows per page (first page server-rendered, then "Load more"). */
export const PAGE_SIZE = 50;
export const SORT_VALUES = ['updated', 'created', 'priority', 'number', 'sla'] as const;

export type Status = (typeof STATUS_VALUES)[number];
export type Priority = (typeof PRIORITY_VALUES)[number];
export type Sort = (typeof SORT_VALUES)[number];

/** The list's filters as plain data (what `tickets.list` accepts, minus cursor and limit). */
export interface ListFilters {
	q?: string;
	status?: Status[];
	priority?: Priority[];
	assignee?: string[];
	group?: string[];
	type?: string[];
	category?: string[];
	tags?: string[];
	requester?: string;
	source?: (typeof SOURCE_VALUES)[number][];
	sla?: SlaState[];
	createdFrom?: Date | string;
	createdTo?: Date | string;
	updatedFrom?: Date | string;
	updatedTo?: Date | string;
	includeMerged?: boolean;
	sort?: Sort;
	dir?: 'asc' | 'desc';
}

const LISTS = [
	'status',
	'priority',
	'assignee',
	'group',
	'type',
	'category',
	'tags',
	'source',
	'sla'
] as const;
const UPPER = new Set(['status', 'priority', 'source']);
const DATES = ['createdFrom', 'createdTo', 'updatedFrom', 'updatedTo'] as const;
/** URL parameters that are filters (anything else, like `view`, is not). */
export const FILTER_PARAMS = [...LISTS, ...DATES, 'q', 'requester', 'merged', 'sort', 'dir'];
const DAY = 86_400_000;

const day = (d: Date) => d.toISOString().slice(0, 10);
const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** URL → filters (unvalidated: the server parses them with the list schema). */
export function filtersFromParams(sp: URLSearchParams): ListFilters {
	const f: Record<string, unknown> = {};
	const q = sp.get('q')?.trim();
	if (q) f.q = q;
	for (const key of LISTS) {
		const raw = sp.get(key);
		if (!raw) continue;
		const values = raw
			.split(',')
			.map((v) => v.trim())
			.filter(Boolean)
			.map((v) => (UPPER.has(key) ? v.toUpperCase() : v));
		if (values.length) f[key] = [...new Set(values)];
	}
	const requester = sp.get('requester');
	if (requester) f.requester = requester;
	for (const key of DATES) {
		const raw = sp.get(key);
		if (!raw || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) continue;
		const d = new Date(`${raw}T00:00:00Z`);
		if (Number.isNaN(d.getTime())) continue;
		f[key] = key.endsWith('To') ? new Date(d.getTime() + DAY) : d;
	}
	if (sp.get('merged') === '1') f.includeMerged = true;
	const sort = sp.get('sort');
	if (sort) f.sort = sort;
	const dir = sp.get('dir');
	if (dir) f.dir = dir;
	return f as ListFilters;
}

/** Filters → URL parameters (defaults left out, so links stay short). */
export function paramsFromFilters(f: ListFilters): URLSearchParams {
	const sp = new URLSearchParams();
	if (f.q) sp.set('q', f.q);
	for (const key of LISTS) {
		const values = f[key];
		if (values?.length)
			sp.set(key, values.map((v) => (UPPER.has(key) ? v.toLowerCase() : v)).join(','));
	}
	if (f.requester) sp.set('requester', f.requester);
	for (const key of DATES) {
		const v = f[key];
		if (!v) continue;
		const d = asDate(v);
		if (Number.isNaN(d.getTime())) continue;
		sp.set(key, day(key.endsWith('To') ? new Date(d.getTime() - DAY) : d));
	}
	if (f.includeMerged) sp.set('merged', '1');
	if (f.sort && f.sort !== 'updated') sp.set('sort', f.sort);
	if (f.dir && f.dir !== 'desc') sp.set('dir', f.dir);
	return sp;
}

/** The list's address for these filters, marked as `view` when they come from one. */
export function listHref(f: ListFilters, view?: string | null): string {
	const sp = paramsFromFilters(f);
	if (view) sp.set('view', view);
	const qs = sp.toString();
	return qs ? `/app/tickets?${qs}` : '/app/tickets';
}

/** Two filter objects ask for the same list (order of values and defaults ignored). */
export function sameFilters(a: ListFilters, b: ListFilters): boolean {
	const norm = (f: ListFilters) => {
		const sp = paramsFromFilters(f);
		const entries = [...sp.entries()].map(
			([k, v]) =>
				[
					k,
					LISTS.includes(k as (typeof LISTS)[number]) ? v.split(',').sort().join(',') : v
				] as const
		);
		return JSON.stringify(entries.sort(([x], [y]) => x.localeCompare(y)));
	};
	return norm(a) === norm(b);
}

/** A date filter as the day shown in a date input (`To` back to inclusive). */
export function dayOf(f: ListFilters, key: (typeof DATES)[number]): string {
	const v = f[key];
	if (!v) return '';
	const d = asDate(v);
	return day(key.endsWith('To') ? new Date(d.getTime() - DAY) : d);
}

/** A day from a date input as the filter value. */
export function dateFilter(key: (typeof DATES)[number], value: string): Date | undefined {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
	const d = new Date(`${value}T00:00:00Z`);
	return key.endsWith('To') ? new Date(d.getTime() + DAY) : d;
}
