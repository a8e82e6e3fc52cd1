import { z } from 'zod';

/**
 * Input schemas of the SLA admin (calendars, policies, escalation levels). Routers take loose
 * objects and the domain parses them here, so errors keep their full path
 * ('targets.HIGH.firstResponse', 'escalations.0.percent') for the form to show beside each field.
 */
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const METRICS = ['FIRST_RESPONSE', 'RESOLUTION'] as const;
const LABEL: Record<(typeof PRIORITIES)[number], string> = {
	LOW: 'Low',
	MEDIUM: 'Medium',
	HIGH: 'High',
	CRITICAL: 'Critical'
};

export const nameSchema = z
	.string({ error: 'Name is required.' })
	.trim()
	.min(1, 'Name is required.')
	.max(80, 'Name must be at most 80 characters.');

const int = (label: string, min: number, max: number, unit = '') =>
	z
		.number({ error: `${label} is required.` })
		.int(`${label} must be a whole number.`)
		.min(min, `${label} must be at least ${min}${unit}.`)
		.max(max, `${label} must be at most ${max}${unit}.`);

const target = (label: string) => int(label, 1, 525_600, ' minutes');
const pair = (p: (typeof PRIORITIES)[number]) =>
	z
		.object(
			{
				firstResponse: target(`${LABEL[p]} first response`),
				resolution: target(`${LABEL[p]} resolution`)
			},
			{ error: `Targets for ${LABEL[p]} are required.` }
		)
		.refine((t) => t.firstResponse <= t.resolution, {
			path: ['firstResponse'],
			message: `${LABEL[p]}: first response cannot be longer than resolution.`
		});

export const targetsSchema = z.object(
	{ LOW: pair('LOW'), MEDIUM: pair('MEDIUM'), HIGH: pair('HIGH'), CRITICAL: pair('CRITICAL') },
	{ error: 'Targets are required.' }
);

const ids = (what: string) =>
	z
		.array(z.uuid(`Choose a valid ${what}.`))
		.max(200, `At most 200 ${what}s.`)
		.default([]);

export const conditionsSchema = z
	.object({
		typeIds: ids('type'),
		groupIds: ids('group'),
		categoryIds: ids('category'),
		departments: z
			.array(z.string().trim().min(1, 'A department cannot be empty.').max(100))
			.max(200)
			.default([])
	})
	.default({ typeIds: [], groupIds: [], categoryIds: [], departments: [] });

export const escalationSchema = z
	.object({
		id: z.uuid().optional(),
		metric: z.enum(METRICS, { error: 'Choose first response or resolution.' }),
		percent: int('Percent', 1, 1000, '%').nullish(),
		afterBreachMinutes: int('Minutes after breach', 1, 10_080).nullish(),
		actions: z
			.object({
				notify: z.array(z.enum(['assignee', 'groupManager', 'group'])).default([]),
				setPriority: z.enum(PRIORITIES).nullish(),
				raisePriority: z.boolean().default(false),
				assignGroupId: z.uuid('Choose a valid group.').nullish()
			})
			.default({ notify: [], raisePriority: false })
	})
	.superRefine((e, ctx) => {
		const whens = (e.percent != null ? 1 : 0) + (e.afterBreachMinutes != null ? 1 : 0);
		if (whens !== 1) {
			ctx.addIssue({
				code: 'custom',
				path: ['percent'],
				message: 'Give either a percent of the target or minutes after the breach, not both.'
			});
		}
		const a = e.actions;
		if (!a.notify.length && !a.setPriority && !a.raisePriority && !a.assignGroupId) {
			ctx.addIssue({ code: 'custom', path: ['actions'], message: 'Choose at least one action.' });
		}
		if (a.setPriority && a.raisePriority) {
			ctx.addIssue({
				code: 'custom',
				path: ['actions'],
				message: 'Set a priority or raise it one step, not both.'
			});
		}
	});

export const policySchema = z.object({
	id: z.uuid().optional(),
	name: nameSchema,
	description: z
		.string()
		.trim()
		.max(500, 'Description must be at most 500 characters.')
		.nullish()
		.transform((v) => v || null),
	calendarId: z.uuid('Choose a business calendar.'),
	isDefault: z.boolean().default(false),
	active: z.boolean().default(true),
	conditions: conditionsSchema,
	targets: targetsSchema,
	warnPercent: int('Warn at', 1, 99, '%').default(75),
	escalations: z.array(escalationSchema).max(20, 'At most 20 escalation levels.').default([])
});
export type PolicyInput = z.output<typeof policySchema>;
export type EscalationInput = z.output<typeof escalationSchema>;

export const previewSchema = z.object({
	id: z.uuid().optional(),
	isDefault: z.boolean().default(false),
	position: z.number().int().optional(),
	conditions: conditionsSchema
});

export { parseFields } from '../errors';

/** What routers accept: an object, checked field by field in the domain. */
export const draftInput = z.record(z.string(), z.unknown());
