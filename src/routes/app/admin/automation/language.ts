import type { ConditionField, Trigger } from '$lib/server/automation/schemas';

/**
 * The rule language as the editor shows it: a browser-safe mirror of the field kinds and operators
 * of `$lib/server/automation/schemas.ts` (typed against it, so a new field fails svelte-check
 * here), with the words the admin reads.
 */
export type { ConditionField, Trigger };
export type Kind = 'enum' | 'ref' | 'text' | 'tags' | 'custom' | 'time';

export const FIELD_KINDS = {
	status: 'enum',
	priority: 'enum',
	source: 'enum',
	type: 'ref',
	category: 'ref',
	group: 'ref',
	assignee: 'ref',
	requester: 'ref',
	subject: 'text',
	description: 'text',
	text: 'text',
	requesterEmail: 'text',
	requesterDepartment: 'text',
	tags: 'tags',
	custom: 'custom',
	time: 'time',
	replyAuthor: 'enum',
	replyKind: 'enum'
} as const satisfies Record<ConditionField, Kind>;

export const OPS: Record<Kind, readonly string[]> = {
	enum: ['in', 'notIn', 'changed', 'changedTo', 'changedFrom'],
	ref: ['in', 'notIn', 'isEmpty', 'isNotEmpty', 'changed', 'changedTo', 'changedFrom'],
	text: [
		'contains',
		'notContains',
		'is',
		'isNot',
		'startsWith',
		'endsWith',
		'isEmpty',
		'isNotEmpty'
	],
	tags: ['includesAny', 'includesAll', 'excludes', 'isEmpty', 'isNotEmpty', 'changed'],
	custom: [
		'is',
		'isNot',
		'contains',
		'notContains',
		'gt',
		'lt',
		'isEmpty',
		'isNotEmpty',
		'changed'
	],
	time: ['within', 'outside']
};
export const LIST_OPS = new Set([
	'in',
	'notIn',
	'changedTo',
	'changedFrom',
	'includesAny',
	'includesAll',
	'excludes'
]);
export const NO_VALUE_OPS = new Set(['isEmpty', 'isNotEmpty', 'changed']);
export const CHANGE_OPS = new Set(['changed', 'changedTo', 'changedFrom']);

export const TRIGGER_LABELS: Record<Trigger, string> = {
	CREATED: 'When a ticket is created',
	UPDATED: 'When a ticket is updated',
	REPLIED: 'When a ticket is replied to',
	TIME: 'Time rules'
};
export const TRIGGER_HINTS: Record<Trigger, string> = {
	CREATED: 'Run once on every new ticket, whatever the channel.',
	UPDATED: 'Run after a change to a ticket; conditions may look at what changed.',
	REPLIED: 'Run on each reply or internal note; conditions may look at who wrote it.',
	TIME: 'Checked every minute: act once a ticket has waited long enough.'
};
export const TRIGGERS = Object.keys(TRIGGER_LABELS) as Trigger[];
/** The editor's "Runs" choice. */
export const TRIGGER_CHOICES: Record<Trigger, string> = {
	CREATED: 'When a ticket is created',
	UPDATED: 'When a ticket is updated',
	REPLIED: 'When a ticket is replied to',
	TIME: 'After a while (time rule)'
};

export const FIELD_LABELS: Record<ConditionField, string> = {
	subject: 'Subject',
	description: 'Description',
	text: 'Subject, description or reply',
	status: 'Status',
	priority: 'Priority',
	type: 'Type',
	category: 'Category',
	group: 'Group',
	assignee: 'Assignee',
	requester: 'Requester',
	requesterEmail: 'Requester email',
	requesterDepartment: 'Requester department',
	source: 'Channel',
	tags: 'Tags',
	custom: 'Custom field',
	time: 'Time of day',
	replyAuthor: 'Reply written by',
	replyKind: 'Reply kind'
};

export const OP_LABELS: Record<string, string> = {
	in: 'is any of',
	notIn: 'is none of',
	changed: 'changed',
	changedTo: 'changed to',
	changedFrom: 'changed from',
	isEmpty: 'is empty',
	isNotEmpty: 'is not empty',
	contains: 'contains',
	notContains: 'does not contain',
	is: 'is',
	isNot: 'is not',
	startsWith: 'starts with',
	endsWith: 'ends with',
	includesAny: 'include any of',
	includesAll: 'include all of',
	excludes: 'include none of',
	gt: 'is greater than',
	lt: 'is less than',
	within: 'is within',
	outside: 'is outside'
};

export const ENUM_OPTIONS: Partial<Record<ConditionField, { value: string; label: string }[]>> = {
	status: [
		['NEW', 'New'],
		['OPEN', 'Open'],
		['PENDING', 'Pending'],
		['ON_HOLD', 'On hold'],
		['RESOLVED', 'Resolved'],
		['CLOSED', 'Closed']
	].map(([value, label]) => ({ value: value!, label: label! })),
	priority: [
		['LOW', 'Low'],
		['MEDIUM', 'Medium'],
		['HIGH', 'High'],
		['CRITICAL', 'Critical']
	].map(([value, label]) => ({ value: value!, label: label! })),
	source: [
		['PORTAL', 'Portal'],
		['FORM', 'Web form'],
		['EMAIL', 'Email'],
		['API', 'API'],
		['CHAT', 'Chat'],
		['AGENT', 'Agent']
	].map(([value, label]) => ({ value: value!, label: label! })),
	replyAuthor: [
		{ value: 'requester', label: 'The requester' },
		{ value: 'agent', label: 'An agent' }
	],
	replyKind: [
		{ value: 'public', label: 'Public reply' },
		{ value: 'internal', label: 'Internal note' }
	]
};

/** Fields a rule of this trigger may use (reply facts only on replies, time only on events). */
export function fieldsFor(trigger: Trigger): ConditionField[] {
	return (Object.keys(FIELD_LABELS) as ConditionField[]).filter((f) => {
		if (f === 'replyAuthor' || f === 'replyKind') return trigger === 'REPLIED';
		if (f === 'time') return trigger !== 'TIME';
		return true;
	});
}

/** Operators of a field for this trigger (changes only on "updated" rules). */
export function opsFor(field: ConditionField, trigger: Trigger): string[] {
	return OPS[FIELD_KINDS[field]].filter((op) => trigger === 'UPDATED' || !CHANGE_OPS.has(op));
}

export const ANCHOR_LABELS = {
	created: 'the ticket was created',
	statusChanged: 'its status last changed',
	updated: 'its last update'
} as const;
