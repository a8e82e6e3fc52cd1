/**
 * The automation rule language's vocabulary, browser-safe: which kind each condition field is and
 * which operators each kind allows. The server's schemas (`$lib/server/automation/schemas.ts`) and
 * the rule editor both read it, so they cannot drift apart.
 */
export const TRIGGERS = ['CREATED', 'UPDATED', 'REPLIED', 'TIME'] as const;
export type Trigger = (typeof TRIGGERS)[number];

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
	/** Subject, description and the reply that woke the rule. */
	text: 'text',
	requesterEmail: 'text',
	requesterDepartment: 'text',
	tags: 'tags',
	custom: 'custom',
	/** The moment the rule runs, in a time zone: days of the week and hours. */
	time: 'time',
	/** Replied rules: who wrote the reply (requester or agent) and whether it is internal. */
	replyAuthor: 'enum',
	replyKind: 'enum'
} as const;
export type ConditionField = keyof typeof FIELD_KINDS;
export type Kind = (typeof FIELD_KINDS)[ConditionField];

export const OPS: Record<Kind, readonly string[]> = {
	enum: ['in', 'notIn', 'changed', 'changedTo', 'changedFrom'],
	ref: ['in', 'notIn', 'isEmpty', 'isNotEmpty', 'changed', 'changedTo', 'changedFrom'],
	text: [
		'changed',
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
/** Operators whose value is a list ("any of"). */
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
/** Only "updated" rules know what changed. */
export const CHANGE_OPS = new Set(['changed', 'changedTo', 'changedFrom']);
