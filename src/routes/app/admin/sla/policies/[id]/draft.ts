import { PRIORITIES, type PriorityName } from '../../sla.svelte';

export type Metric = 'FIRST_RESPONSE' | 'RESOLUTION';
export type Notify = 'assignee' | 'groupManager' | 'group';

/** One escalation level as the form holds it. */
export interface LevelDraft {
	key: number;
	id?: string;
	metric: Metric;
	when: 'percent' | 'after';
	value: string | number;
	notify: Notify[];
	setPriority: '' | PriorityName;
	raisePriority: boolean;
	assignGroupId: string;
}

/** Hours and minutes inputs for one target. */
export interface HoursMinutes {
	h: string | number;
	m: string | number;
}
export type TargetsDraft = Record<
	PriorityName,
	{ firstResponse: HoursMinutes; resolution: HoursMinutes }
>;

const split = (min: number | undefined): HoursMinutes =>
	min === undefined ? { h: '', m: '' } : { h: Math.floor(min / 60), m: min % 60 };

/** Minutes from the inputs, or NaN when both are empty (so the server says "required"). */
const join = ({ h, m }: HoursMinutes) =>
	h === '' && m === '' ? NaN : (Number(h) || 0) * 60 + (Number(m) || 0);

const DEFAULT_TARGETS: Record<PriorityName, [number, number]> = {
	CRITICAL: [15, 240],
	HIGH: [60, 480],
	MEDIUM: [240, 1440],
	LOW: [480, 4320]
};

export function targetsDraft(t: unknown): TargetsDraft {
	const given = (t ?? {}) as Partial<
		Record<PriorityName, { firstResponse: number; resolution: number }>
	>;
	return Object.fromEntries(
		PRIORITIES.map((p) => [
			p,
			{
				firstResponse: split(given[p]?.firstResponse ?? DEFAULT_TARGETS[p][0]),
				resolution: split(given[p]?.resolution ?? DEFAULT_TARGETS[p][1])
			}
		])
	) as TargetsDraft;
}

export function targetsInput(t: TargetsDraft) {
	return Object.fromEntries(
		PRIORITIES.map((p) => [
			p,
			{ firstResponse: join(t[p].firstResponse), resolution: join(t[p].resolution) }
		])
	);
}

let nextKey = 1;

export function levelDraft(e?: {
	id: string;
	metric: Metric;
	percent: number | null;
	afterBreachMinutes: number | null;
	actions: unknown;
}): LevelDraft {
	const a = (e?.actions ?? {}) as {
		notify?: Notify[];
		setPriority?: PriorityName;
		raisePriority?: boolean;
		assignGroupId?: string;
	};
	return {
		key: nextKey++,
		id: e?.id,
		metric: e?.metric ?? 'RESOLUTION',
		when: e?.afterBreachMinutes != null ? 'after' : 'percent',
		value: e?.afterBreachMinutes ?? e?.percent ?? 100,
		notify: a.notify ?? (e ? [] : ['assignee']),
		setPriority: a.setPriority ?? '',
		raisePriority: a.raisePriority ?? false,
		assignGroupId: a.assignGroupId ?? ''
	};
}

export function levelInput(l: LevelDraft) {
	const value = l.value === '' ? NaN : Number(l.value);
	return {
		...(l.id ? { id: l.id } : {}),
		metric: l.metric,
		percent: l.when === 'percent' ? value : null,
		afterBreachMinutes: l.when === 'after' ? value : null,
		actions: {
			notify: l.notify,
			setPriority: l.setPriority || null,
			raisePriority: l.raisePriority,
			assignGroupId: l.assignGroupId || null
		}
	};
}
