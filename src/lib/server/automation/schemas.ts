import { z } from 'zod';
import {
	CHANGE_OPS,
	FIELD_KINDS,
	LIST_OPS,
	NO_VALUE_OPS,
	OPS,
	TRIGGERS,
	type ConditionField,
	type Trigger
} from '$lib/automation';
import { nameSchema } from '../sla/admin-schemas';

export { FIELD_KINDS, OPS, TRIGGERS, type ConditionField, type Trigger };

/**
 * The automation rule language: conditions over a ticket (and the event that woke the rule) and
 * the actions a matching rule runs. Stored as JSON on AutomationRule; parsed here on every write
 * with errors keyed by path ('conditions.conditions.1.value', 'actions.0.url') for the editor.
 */
export const STATUSES = ['NEW', 'OPEN', 'PENDING', 'ON_HOLD', 'RESOLVED', 'CLOSED'] as const;
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const SOURCES = ['PORTAL', 'FORM', 'EMAIL', 'API', 'CHAT', 'AGENT'] as const;

const ENUM_VALUES: Partial<Record<ConditionField, readonly string[]>> = {
	status: STATUSES,
	priority: PRIORITIES,
	source: SOURCES,
	replyAuthor: ['requester', 'agent'],
	replyKind: ['public', 'internal']
};

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const timeWindowSchema = z
	.object({
		days: z
			.array(z.number().int().min(1).max(7), { error: 'Choose the days of the week.' })
			.min(1, 'Choose at least one day.'),
		from: z.string().regex(HHMM, 'Use HH:MM, e.g. 09:00.'),
		to: z.string().regex(HHMM, 'Use HH:MM, e.g. 17:00.'),
		timeZone: z.string().refine(validZone, 'Unknown time zone.')
	})
	.refine((w) => w.from < w.to, { message: 'The end must be after the start.', path: ['to'] });
export type TimeWindow = z.infer<typeof timeWindowSchema>;

function validZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

export const conditionSchema = z
	.object({
		field: z.enum(Object.keys(FIELD_KINDS) as [ConditionField, ...ConditionField[]], {
			error: 'Choose a field.'
		}),
		op: z.string({ error: 'Choose an operator.' }),
		/** Custom fields: the field's key. */
		key: z.string().trim().max(64).optional(),
		value: z.unknown().optional()
	})
	.superRefine((c, ctx) => {
		const kind = FIELD_KINDS[c.field];
		if (!OPS[kind].includes(c.op)) {
			ctx.addIssue({
				code: 'custom',
				path: ['op'],
				message: `"${c.op}" does not apply to ${c.field}.`
			});
			return;
		}
		if (kind === 'custom' && !c.key) {
			ctx.addIssue({ code: 'custom', path: ['key'], message: 'Choose a custom field.' });
		}
		const issue = valueIssue(c.field, c.op, c.value);
		if (issue) ctx.addIssue({ code: 'custom', path: ['value'], message: issue });
	});
export type Condition = z.infer<typeof conditionSchema>;

function valueIssue(field: ConditionField, op: string, value: unknown): string | null {
	if (NO_VALUE_OPS.has(op)) return null;
	const kind = FIELD_KINDS[field];
	if (kind === 'time') {
		const parsed = timeWindowSchema.safeParse(value);
		return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Set the days and hours.');
	}
	if (LIST_OPS.has(op)) {
		if (!Array.isArray(value) || value.length === 0) return 'Choose at least one value.';
		if (value.length > 100) return 'Choose at most 100 values.';
		if (!value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 100))
			return 'Values must be non-empty text.';
		const allowed = ENUM_VALUES[field];
		const bad = allowed && value.find((v) => !allowed.includes(v as string));
		if (bad) return `"${bad}" is not a ${field} value.`;
		if (kind === 'ref' && !value.every((v) => z.uuid().safeParse(v).success))
			return 'Choose values from the list.';
		return null;
	}
	if (op === 'gt' || op === 'lt') {
		return typeof value === 'number' && Number.isFinite(value) ? null : 'Enter a number.';
	}
	if (typeof value !== 'string' || value.trim() === '') return 'Enter a value.';
	if (value.length > 500) return 'Use at most 500 characters.';
	return null;
}

export const conditionsSchema = z.object(
	{
		match: z.enum(['all', 'any'], { error: 'Choose "all" or "any".' }).default('all'),
		conditions: z.array(conditionSchema).max(30, 'Use at most 30 conditions.').default([])
	},
	{ error: 'Conditions are required.' }
);
export type Conditions = z.infer<typeof conditionsSchema>;

// ---- Actions --------------------------------------------------------------------------------

const uuid = (what: string) => z.uuid({ error: `Choose ${what}.` });
const template = (what: string, max: number) =>
	z
		.string({ error: `${what} is required.` })
		.trim()
		.min(1, `${what} is required.`)
		.max(max, `${what} must be at most ${max} characters.`);
const tagList = z
	.array(z.string().trim().min(1).max(50, 'Tags are at most 50 characters.'))
	.min(1, 'Add at least one tag.')
	.max(20, 'At most 20 tags.');

export const webhookUrlSchema = z
	.string({ error: 'The URL is required.' })
	.trim()
	.max(2000, 'The URL is too long.')
	.refine((u) => {
		try {
			const url = new URL(u);
			return url.protocol === 'https:' || url.protocol === 'http:';
		} catch {
			return false;
		}
	}, 'Enter an http:// or https:// URL.');

const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;

export const actionSchema = z.discriminatedUnion(
	'type',
	[
		z.object({
			type: z.literal('set'),
			field: z.enum(['status', 'priority', 'type', 'category'], { error: 'Choose a field.' }),
			value: z.string().max(100).nullable()
		}),
		z.object({
			type: z.literal('setCustomField'),
			key: z.string({ error: 'Choose a custom field.' }).trim().min(1, 'Choose a custom field.'),
			value: z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])
		}),
		z.object({ type: z.literal('assignAgent'), userId: uuid('an agent') }),
		z.object({
			type: z.literal('assignGroup'),
			groupId: uuid('a group'),
			/** Then pick an agent by the group's own method (round robin, fewest open). */
			autoAssign: z.boolean().default(true)
		}),
		z.object({ type: z.literal('addTags'), tags: tagList }),
		z.object({ type: z.literal('removeTags'), tags: tagList }),
		z.object({
			type: z.literal('addWatchers'),
			userIds: z.array(uuid('a person')).min(1, 'Choose at least one person.').max(20)
		}),
		z.object({
			type: z.literal('notify'),
			recipients: z
				.array(z.enum(['assignee', 'group', 'groupManager', 'watchers', 'requester']))
				.default([]),
			userIds: z.array(uuid('a person')).max(20).default([]),
			title: template('The title', 200),
			message: z.string().trim().max(2000).default('')
		}),
		z.object({
			type: z.literal('reply'),
			body: template('The reply', 20_000),
			internal: z.boolean().default(false)
		}),
		z.object({
			type: z.literal('webhook'),
			url: webhookUrlSchema,
			headers: z
				.record(
					z.string().regex(HEADER_NAME, 'Header names are letters, digits and dashes.'),
					z.string().max(1000)
				)
				.default({})
		})
	],
	{ error: 'Choose what the action does.' }
);
export type Action = z.infer<typeof actionSchema>;

export const TIME_ANCHORS = ['created', 'statusChanged', 'updated'] as const;
export type TimeAnchor = (typeof TIME_ANCHORS)[number];

export const ruleDraftSchema = z
	.object({
		name: nameSchema,
		description: z.string().trim().max(500, 'At most 500 characters.').default(''),
		trigger: z.enum(TRIGGERS, { error: 'Choose when the rule runs.' }),
		active: z.boolean().default(true),
		stopProcessing: z.boolean().default(false),
		conditions: conditionsSchema,
		actions: z
			.array(actionSchema, { error: 'Add at least one action.' })
			.min(1, 'Add at least one action.')
			.max(20, 'Use at most 20 actions.'),
		timeAnchor: z.enum(TIME_ANCHORS).nullable().default(null),
		timeMinutes: z
			.number()
			.int('Whole minutes.')
			.min(5, 'At least 5 minutes.')
			.max(525_600, 'At most a year.')
			.nullable()
			.default(null)
	})
	.superRefine((r, ctx) => {
		const at = (path: (string | number)[], message: string) =>
			ctx.addIssue({ code: 'custom', path, message });
		if (r.trigger === 'TIME') {
			if (!r.timeAnchor) at(['timeAnchor'], 'Choose what the time counts from.');
			if (r.timeMinutes === null) at(['timeMinutes'], 'Enter after how long the rule acts.');
		}
		r.conditions.conditions.forEach((c, i) => {
			const path = ['conditions', 'conditions', i, 'field'];
			if (CHANGE_OPS.has(c.op) && r.trigger !== 'UPDATED')
				at(['conditions', 'conditions', i, 'op'], 'Only "updated" rules can look at changes.');
			if ((c.field === 'replyAuthor' || c.field === 'replyKind') && r.trigger !== 'REPLIED')
				at(path, 'Only "replied" rules know about a reply.');
			if (c.field === 'time' && r.trigger === 'TIME')
				at(path, 'Time rules already run on a schedule; use the time settings above.');
		});
	});
export type RuleDraft = z.infer<typeof ruleDraftSchema>;

export { nameSchema };
