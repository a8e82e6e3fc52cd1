import { CHANGE_OPS, FIELD_KINDS, OPS, type ConditionField, type Trigger } from '$lib/automation';

/**
 * The rule language as the editor shows it: the words the admin reads for the vocabulary in
 * `$lib/automation.ts` (shared with the server's schemas).
 */
export type { ConditionField, Kind, Trigger } from '$lib/automation';
export { CHANGE_OPS, FIELD_KINDS, LIST_OPS, NO_VALUE_OPS, OPS } from '$lib/automation';

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
