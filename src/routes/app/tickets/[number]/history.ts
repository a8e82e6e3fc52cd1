import { PRIORITY_LABELS, STATUS_LABELS } from '$lib/components/ui';

export interface Names {
	people: Map<string, string>;
	groups: Map<string, string>;
	types: Map<string, string>;
	categories: Map<string, string>;
	fields: Map<string, string>;
}

const FIELD_LABELS: Record<string, string> = {
	subject: 'Subject',
	description: 'Description',
	status: 'Status',
	priority: 'Priority',
	type: 'Type',
	category: 'Category',
	requester: 'Requester',
	assignee: 'Assignee',
	group: 'Group',
	tags: 'Tags',
	customFields: 'Custom fields',
	link: 'Link',
	merged: 'Merged',
	mergedInto: 'Merged into',
	csat: 'Satisfaction rating',
	created: 'Created',
	sla: 'SLA',
	escalation: 'Escalation',
	mail: 'Mail'
};

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** SLA history text carries UTC instants: shown in the reader's own time. */
const localTimes = (text: string) => text.replace(ISO, (iso) => when.format(new Date(iso)));

export const statusName = (s: string) =>
	STATUS_LABELS[s.toLowerCase() as keyof typeof STATUS_LABELS] ?? s;
export const priorityName = (p: string) =>
	PRIORITY_LABELS[p.toLowerCase() as keyof typeof PRIORITY_LABELS] ?? p;

const SOURCE_NAMES: Record<string, string> = {
	PORTAL: 'the portal',
	FORM: 'the web form',
	EMAIL: 'email',
	API: 'the API',
	CHAT: 'chat',
	AGENT: 'an agent'
};

/** A history value made readable: names instead of ids and enum constants. */
export function readable(field: string, value: string | null, names: Names): string | null {
	if (value === null || value === '') return null;
	switch (field) {
		case 'status':
			return statusName(value);
		case 'priority':
			return priorityName(value);
		case 'assignee':
		case 'requester':
			return names.people.get(value) ?? 'someone no longer listed';
		case 'group':
			return names.groups.get(value) ?? 'a removed group';
		case 'type':
			return names.types.get(value) ?? 'a removed type';
		case 'category':
			return names.categories.get(value) ?? 'a removed category';
		case 'created':
			return SOURCE_NAMES[value] ?? value;
		case 'csat':
			return `${value} / 5`;
		case 'customFields':
			return customSummary(value, names);
		case 'sla':
		case 'escalation':
			return localTimes(value);
		default:
			return value;
	}
}

function customSummary(json: string, names: Names): string {
	try {
		const obj = JSON.parse(json) as Record<string, unknown>;
		const parts = Object.entries(obj).map(
			([k, v]) => `${names.fields.get(k) ?? k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`
		);
		return parts.join('; ') || '—';
	} catch {
		return json;
	}
}

export const fieldLabel = (field: string, names?: Names) =>
	FIELD_LABELS[field] ??
	(field.startsWith('custom.') ? (names?.fields.get(field.slice(7)) ?? field.slice(7)) : field);

/** The rule that made a change or wrote an entry ("rule: VPN triage" → "VPN triage"), if any. */
export const ruleOf = (via: string | null | undefined): string | null =>
	via?.startsWith('rule: ') ? via.slice(6) : null;

/** How a rule is named where a person's name would be. */
export const automationName = (rule: string) => `Automation · ${rule}`;

/**
 * What mail wrote without a person: 'mail: automatic reply from x@y' → "Automatic reply from x@y";
 * 'mail' (an outgoing mail that failed) → "". Null when the entry did not come from mail.
 */
export const mailOf = (via: string | null | undefined): string | null => {
	if (via === 'mail') return '';
	if (!via?.startsWith('mail: ')) return null;
	const what = via.slice(6).trim();
	return what.charAt(0).toUpperCase() + what.slice(1);
};

/** How mail is named where a person's name would be ("Mail · Automatic reply from x@y"). */
export const mailName = (what: string) => (what ? `Mail · ${what}` : 'Mail');
