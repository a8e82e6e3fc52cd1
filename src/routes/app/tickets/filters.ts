import { SLA_STATE_LABELS, SLA_STATE_VALUES } from '$lib/sla';
import { priorityLabel, statusLabel } from './labels';
import { PRIORITY_VALUES, STATUS_VALUES, SOURCE_VALUES, dayOf, type ListFilters } from './url';

export interface Option {
	value: string;
	label: string;
}
export type DimensionKey =
	| 'status'
	| 'priority'
	| 'sla'
	| 'assignee'
	| 'group'
	| 'type'
	| 'category'
	| 'source'
	| 'tags'
	| 'requester'
	| 'created'
	| 'updated';

export interface Dimension {
	key: DimensionKey;
	label: string;
	kind: 'options' | 'tags' | 'person' | 'range';
	options?: Option[];
}

export interface Catalog {
	agents: { id: string; name: string }[];
	groups: { id: string; name: string }[];
	types: { id: string; name: string }[];
	/** Active categories in tree order, named by their path ("Hardware › Laptop"). */
	categories: { id: string; path: string }[];
	me: { id: string };
}

const SOURCE_LABELS: Record<string, string> = {
	PORTAL: 'Portal',
	FORM: 'Web form',
	EMAIL: 'Email',
	API: 'API',
	CHAT: 'Chat',
	AGENT: 'Agent'
};

/** Every filter the bar offers, with its choices. */
export function dimensions(c: Catalog): Dimension[] {
	const list: Dimension[] = [
		{
			key: 'status',
			label: 'Status',
			kind: 'options',
			options: STATUS_VALUES.map((v) => ({ value: v, label: statusLabel(v) }))
		},
		{
			key: 'priority',
			label: 'Priority',
			kind: 'options',
			options: PRIORITY_VALUES.map((v) => ({ value: v, label: priorityLabel(v) }))
		},
		{
			key: 'sla',
			label: 'SLA',
			kind: 'options',
			options: SLA_STATE_VALUES.map((v) => ({ value: v, label: SLA_STATE_LABELS[v] }))
		},
		{
			key: 'assignee',
			label: 'Assignee',
			kind: 'options',
			options: [
				{ value: 'me', label: 'Me' },
				{ value: 'none', label: 'Unassigned' },
				...c.agents.filter((a) => a.id !== c.me.id).map((a) => ({ value: a.id, label: a.name }))
			]
		},
		{
			key: 'group',
			label: 'Team',
			kind: 'options',
			options: [
				{ value: 'none', label: 'No team' },
				...c.groups.map((g) => ({ value: g.id, label: g.name }))
			]
		}
	];
	if (c.types.length)
		list.push({
			key: 'type',
			label: 'Type',
			kind: 'options',
			options: c.types.map((t) => ({ value: t.id, label: t.name }))
		});
	if (c.categories.length)
		list.push({
			key: 'category',
			label: 'Category',
			kind: 'options',
			options: c.categories.map((cat) => ({ value: cat.id, label: cat.path }))
		});
	list.push(
		{
			key: 'source',
			label: 'Channel',
			kind: 'options',
			options: SOURCE_VALUES.map((v) => ({ value: v, label: SOURCE_LABELS[v] ?? v }))
		},
		{ key: 'tags', label: 'Tags', kind: 'tags' },
		{ key: 'requester', label: 'Requester', kind: 'person' },
		{ key: 'created', label: 'Created', kind: 'range' },
		{ key: 'updated', label: 'Updated', kind: 'range' }
	);
	return list;
}

/** Whether a filter is in use. */
export function isActive(f: ListFilters, key: DimensionKey): boolean {
	if (key === 'created') return !!(f.createdFrom || f.createdTo);
	if (key === 'updated') return !!(f.updatedFrom || f.updatedTo);
	if (key === 'requester') return !!f.requester;
	return !!f[key]?.length;
}

/** The filter without this dimension. */
export function without(f: ListFilters, key: DimensionKey): ListFilters {
	const next = { ...f };
	if (key === 'created') {
		delete next.createdFrom;
		delete next.createdTo;
	} else if (key === 'updated') {
		delete next.updatedFrom;
		delete next.updatedTo;
	} else delete next[key];
	return next;
}

/** What a pill says after its label: "Open, Pending", "since 3 Mar", "2 tags". */
export function pillText(
	f: ListFilters,
	d: Dimension,
	requesterName: string | null | undefined
): string {
	if (d.kind === 'range') {
		const from = dayOf(f, d.key === 'created' ? 'createdFrom' : 'updatedFrom');
		const to = dayOf(f, d.key === 'created' ? 'createdTo' : 'updatedTo');
		if (from && to) return `${from} – ${to}`;
		return from ? `since ${from}` : `until ${to}`;
	}
	if (d.kind === 'person') return requesterName ?? 'someone';
	const values = (f[d.key as 'status'] ?? []) as string[];
	if (d.kind === 'tags') return values.join(', ');
	const names = values.map((v) => d.options?.find((o) => o.value === v)?.label ?? 'unknown');
	return names.length > 2
		? `${names.slice(0, 2).join(', ')} +${names.length - 2}`
		: names.join(', ');
}
