import { z } from 'zod';
import { emailSchema } from '../identity/schemas';

/** Input schemas shared by the tickets router, the REST API (which maps lower-case enums onto
 *  these) and the forms. Messages are written for people. */
export const STATUSES = ['NEW', 'OPEN', 'PENDING', 'ON_HOLD', 'RESOLVED', 'CLOSED'] as const;
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const SOURCES = ['PORTAL', 'FORM', 'EMAIL', 'API', 'CHAT', 'AGENT'] as const;
export const OPEN_STATUSES = ['NEW', 'OPEN', 'PENDING', 'ON_HOLD'] as const;
export type TicketStatusName = (typeof STATUSES)[number];
export type TicketPriorityName = (typeof PRIORITIES)[number];
export type TicketSourceName = (typeof SOURCES)[number];

export const statusSchema = z.enum(STATUSES, { error: 'Choose a valid status.' });
export const prioritySchema = z.enum(PRIORITIES, { error: 'Choose a valid priority.' });

export const subjectSchema = z
	.string({ error: 'Subject is required.' })
	.trim()
	.min(3, 'Subject must be at least 3 characters.')
	.max(200, 'Subject must be at most 200 characters.');

export const descriptionSchema = z
	.string({ error: 'Description must be text.' })
	.max(50_000, 'Description must be at most 50,000 characters.');

export const tagSchema = z
	.string()
	.trim()
	.toLowerCase()
	.min(1, 'Tags cannot be empty.')
	.max(40, 'Tags must be at most 40 characters.')
	.regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'Tags may use letters, digits, spaces, . _ and -.');

export const tagsSchema = z
	.array(tagSchema, { error: 'Tags must be a list.' })
	.max(20, 'At most 20 tags.')
	.transform((tags) => [...new Set(tags)]);

const optionalId = (what: string) => z.uuid(`Choose a valid ${what}.`).nullish();

export const requesterSchema = z.object({
	email: emailSchema,
	name: z.string().trim().min(1, 'Name is required.').max(120, 'Name is too long.').optional()
});

export const customFieldsSchema = z.record(z.string().max(64), z.unknown(), {
	error: 'Custom fields must be an object.'
});

export const attachmentIdsSchema = z
	.array(z.uuid('Unknown attachment.'))
	.max(20, 'At most 20 attachments at once.');

export const ticketCreateSchema = z.object({
	subject: subjectSchema,
	description: descriptionSchema.default(''),
	priority: prioritySchema.default('MEDIUM'),
	status: statusSchema.optional(),
	typeId: optionalId('type'),
	categoryId: optionalId('category'),
	/** Staff: an existing user. */
	requesterId: optionalId('requester'),
	/** Staff, API and the public form: a person by email (created as a contact when unknown). */
	requester: requesterSchema.optional(),
	assigneeId: optionalId('assignee'),
	groupId: optionalId('group'),
	tags: tagsSchema.default([]),
	customFields: customFieldsSchema.default({}),
	watcherIds: z.array(z.uuid()).max(50, 'At most 50 watchers.').default([]),
	attachmentIds: attachmentIdsSchema.default([])
});
export type TicketCreateInput = z.input<typeof ticketCreateSchema>;

/** A ticket by number (#1042 / 1042) or id. */
export const ticketRefSchema = z.union([
	z.number().int().positive(),
	z
		.string()
		.trim()
		.regex(/^(#?\d{1,9}|[0-9a-fA-F-]{36})$/, 'Unknown ticket.')
]);

export const ticketUpdateSchema = z.object({
	ticket: ticketRefSchema,
	/** The version the editor read; omitted = whatever is current (REST without If-Match). */
	version: z.number().int().positive().optional(),
	subject: subjectSchema.optional(),
	description: descriptionSchema.optional(),
	status: statusSchema.optional(),
	priority: prioritySchema.optional(),
	typeId: optionalId('type'),
	categoryId: optionalId('category'),
	requesterId: z.uuid('Choose a valid requester.').optional(),
	assigneeId: optionalId('assignee'),
	groupId: optionalId('group'),
	tags: tagsSchema.optional(),
	customFields: customFieldsSchema.optional()
});
export type TicketUpdateInput = z.input<typeof ticketUpdateSchema>;

export const entryCreateSchema = z.object({
	ticket: ticketRefSchema,
	kind: z.enum(['REPLY', 'NOTE'], { error: 'Choose reply or note.' }).default('REPLY'),
	body: z
		.string({ error: 'Write a message.' })
		.trim()
		.min(1, 'Write a message.')
		.max(100_000, 'The message must be at most 100,000 characters.'),
	attachmentIds: attachmentIdsSchema.default([]),
	/** Staff may set the status in the same step ("Send and set Pending"). */
	status: statusSchema.optional()
});
export type EntryCreateInput = z.input<typeof entryCreateSchema>;

const idList = z.array(z.uuid()).max(50);
const dateish = z.coerce.date({ error: 'Enter a valid date.' });

/** `sla`: SLA due, the next due instant of a running clock first (see list-sla.ts). */
export const SORTS = ['updated', 'created', 'priority', 'number', 'sla'] as const;

export const SLA_STATES = ['on_track', 'at_risk', 'breached', 'paused', 'met'] as const;

export const ticketListSchema = z.object({
	q: z.string().trim().max(200, 'Search must be at most 200 characters.').optional(),
	status: z.array(statusSchema).max(6).optional(),
	priority: z.array(prioritySchema).max(4).optional(),
	/** 'me', 'none' or user ids. */
	assignee: z
		.array(z.union([z.literal('me'), z.literal('none'), z.uuid()]))
		.max(50)
		.optional(),
	/** 'none' or group ids. */
	group: z
		.array(z.union([z.literal('none'), z.uuid()]))
		.max(50)
		.optional(),
	type: idList.optional(),
	category: idList.optional(),
	tags: z.array(tagSchema).max(10).optional(),
	requester: z.uuid().optional(),
	source: z.array(z.enum(SOURCES)).max(6).optional(),
	/** SLA state (tickets without a policy match none). */
	sla: z.array(z.enum(SLA_STATES)).max(5).optional(),
	createdFrom: dateish.optional(),
	createdTo: dateish.optional(),
	updatedFrom: dateish.optional(),
	updatedTo: dateish.optional(),
	/** Also show tickets merged into others (hidden by default). */
	includeMerged: z.boolean().optional(),
	sort: z.enum(SORTS).default('updated'),
	dir: z.enum(['asc', 'desc']).default('desc'),
	cursor: z.string().max(200).optional(),
	limit: z.number().int().min(1).max(100).default(50)
});
export type TicketListInput = z.input<typeof ticketListSchema>;
export type TicketListFilters = z.output<typeof ticketListSchema>;
