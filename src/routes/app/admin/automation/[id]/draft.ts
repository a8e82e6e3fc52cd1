import type { Action, Condition, RuleDraft, TimeAnchor } from '$lib/server/automation/schemas';
import {
	FIELD_KINDS,
	LIST_OPS,
	NO_VALUE_OPS,
	OPS,
	type ConditionField,
	type Trigger
} from '../language';

/**
 * The editor's working copy of a rule: flat, bindable drafts per condition and action, turned into
 * the `ruleDraftSchema` shape on save. Nothing is checked here: the server names every bad field.
 */
export interface WindowDraft {
	days: number[];
	from: string;
	to: string;
	timeZone: string;
}

export interface ConditionDraft {
	key: number;
	field: ConditionField | '';
	op: string;
	cfKey: string;
	values: string[];
	text: string;
	window: WindowDraft;
}

export type ActionType = Action['type'];

export interface HeaderDraft {
	key: number;
	name: string;
	value: string;
}

export interface ActionDraft {
	key: number;
	type: ActionType | '';
	field: 'status' | 'priority' | 'type' | 'category';
	value: string;
	cfKey: string;
	cfValue: string;
	userId: string;
	groupId: string;
	autoAssign: boolean;
	tags: string[];
	userIds: string[];
	recipients: string[];
	title: string;
	message: string;
	body: string;
	internal: boolean;
	url: string;
	headers: HeaderDraft[];
}

export interface CustomFieldOption {
	key: string;
	label: string;
	kind: string;
	options: unknown;
}

let nextKey = 1;
export const newKey = () => nextKey++;

const localZone = () => {
	try {
		return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
	} catch {
		return 'UTC';
	}
};

export function windowDraft(v?: unknown): WindowDraft {
	const w = (v ?? {}) as Partial<WindowDraft>;
	return {
		days: w.days ?? [1, 2, 3, 4, 5],
		from: w.from ?? '09:00',
		to: w.to ?? '17:00',
		timeZone: w.timeZone ?? localZone()
	};
}

export function conditionDraft(c?: Partial<Condition>): ConditionDraft {
	const list = Array.isArray(c?.value) ? (c.value as string[]) : [];
	const field = (c?.field ?? '') as ConditionField | '';
	return {
		key: newKey(),
		field,
		op: c?.op ?? '',
		cfKey: c?.key ?? '',
		values: list,
		text: typeof c?.value === 'string' || typeof c?.value === 'number' ? String(c.value) : '',
		window: windowDraft(field === 'time' ? c?.value : undefined)
	};
}

export function conditionInput(c: ConditionDraft): Record<string, unknown> {
	if (!c.field) return { op: c.op };
	const kind = FIELD_KINDS[c.field];
	const out: Record<string, unknown> = { field: c.field, op: c.op };
	if (kind === 'custom') out.key = c.cfKey;
	if (NO_VALUE_OPS.has(c.op)) return out;
	if (kind === 'time') out.value = c.window;
	else if (LIST_OPS.has(c.op)) out.value = c.values;
	else if (c.op === 'gt' || c.op === 'lt') out.value = c.text.trim() === '' ? null : Number(c.text);
	else out.value = c.text;
	return out;
}

/** A field was picked: its first operator, and no values left over from another field. */
export function resetCondition(c: ConditionDraft, allowed: string[]) {
	const kind = c.field ? FIELD_KINDS[c.field] : null;
	c.op = kind ? (allowed[0] ?? OPS[kind][0]!) : '';
	c.values = [];
	c.text = '';
	c.cfKey = '';
}

export function actionDraft(a?: Partial<Action> & { type?: ActionType }): ActionDraft {
	const any = (a ?? {}) as Record<string, unknown>;
	const headers = (any.headers ?? {}) as Record<string, string>;
	return {
		key: newKey(),
		type: a?.type ?? '',
		field: (any.field as ActionDraft['field']) ?? 'priority',
		value: a?.type === 'set' ? ((any.value as string | null) ?? '') : '',
		cfKey: a?.type === 'setCustomField' ? String(any.key ?? '') : '',
		cfValue: a?.type === 'setCustomField' && any.value != null ? String(any.value) : '',
		userId: (any.userId as string) ?? '',
		groupId: (any.groupId as string) ?? '',
		autoAssign: (any.autoAssign as boolean) ?? true,
		tags: (any.tags as string[]) ?? [],
		userIds: (any.userIds as string[]) ?? [],
		recipients: (any.recipients as string[]) ?? (a ? [] : ['assignee']),
		title: (any.title as string) ?? '',
		message: (any.message as string) ?? '',
		body: (any.body as string) ?? '',
		internal: (any.internal as boolean) ?? false,
		url: (any.url as string) ?? '',
		headers: Object.entries(headers).map(([name, value]) => ({ key: newKey(), name, value }))
	};
}

function customValue(raw: string, kind: string | undefined): string | number | boolean | null {
	if (raw === '') return null;
	if (kind === 'NUMBER') return Number.isFinite(Number(raw)) ? Number(raw) : raw;
	if (kind === 'CHECKBOX') return raw === 'true';
	return raw;
}

export function actionInput(a: ActionDraft, fields: CustomFieldOption[]): Record<string, unknown> {
	switch (a.type) {
		case '':
			return {};
		case 'set':
			return { type: a.type, field: a.field, value: a.value || null };
		case 'setCustomField': {
			const kind = fields.find((f) => f.key === a.cfKey)?.kind;
			return { type: a.type, key: a.cfKey, value: customValue(a.cfValue, kind) };
		}
		case 'assignAgent':
			return { type: a.type, userId: a.userId };
		case 'assignGroup':
			return { type: a.type, groupId: a.groupId, autoAssign: a.autoAssign };
		case 'addTags':
		case 'removeTags':
			return { type: a.type, tags: a.tags };
		case 'addWatchers':
			return { type: a.type, userIds: a.userIds };
		case 'notify':
			return {
				type: a.type,
				recipients: a.recipients,
				userIds: a.userIds,
				title: a.title,
				message: a.message
			};
		case 'reply':
			return { type: a.type, body: a.body, internal: a.internal };
		case 'webhook':
			return {
				type: a.type,
				url: a.url,
				headers: Object.fromEntries(
					a.headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value])
				)
			};
	}
}

export const UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
export type Unit = keyof typeof UNITS;

/** 2880 → 2 days; 90 → 90 minutes. */
export function splitMinutes(m: number | null): { amount: string; unit: Unit } {
	if (m === null) return { amount: '', unit: 'hours' };
	if (m % 1440 === 0) return { amount: String(m / 1440), unit: 'days' };
	if (m % 60 === 0) return { amount: String(m / 60), unit: 'hours' };
	return { amount: String(m), unit: 'minutes' };
}

export interface RuleForm {
	name: string;
	description: string;
	trigger: Trigger;
	active: boolean;
	stopProcessing: boolean;
	match: 'all' | 'any';
	conditions: ConditionDraft[];
	actions: ActionDraft[];
	timeAnchor: TimeAnchor | '';
	amount: string;
	unit: Unit;
}

export function ruleInput(f: RuleForm, fields: CustomFieldOption[]) {
	const minutes =
		f.trigger === 'TIME' && f.amount.trim() !== ''
			? Math.round(Number(f.amount) * UNITS[f.unit])
			: null;
	return {
		name: f.name,
		description: f.description,
		trigger: f.trigger,
		active: f.active,
		stopProcessing: f.stopProcessing,
		conditions: { match: f.match, conditions: f.conditions.map(conditionInput) },
		actions: f.actions.map((a) => actionInput(a, fields)),
		timeAnchor: f.trigger === 'TIME' ? f.timeAnchor || null : null,
		timeMinutes: minutes === null || Number.isNaN(minutes) ? null : minutes
	} satisfies Record<keyof RuleDraft, unknown>;
}
