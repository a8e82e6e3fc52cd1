import { z } from 'zod';
import {
	customFieldsSchema,
	descriptionSchema,
	requesterSchema,
	SORTS,
	subjectSchema,
	tagSchema,
	tagsSchema,
	type TicketPriorityName,
	type TicketSourceName,
	type TicketStatusName
} from './schemas';

/**
 * The public REST API's schemas (request bodies, query, responses). They validate requests in
 * `rest.ts` and generate the OpenAPI document in `openapi.ts`, so the docs cannot drift from what
 * the API accepts. Enums are lower-case here and upper-case in the domain; people, groups, types
 * and categories are named by email / name or id and resolved in `rest.ts`.
 */
export const REST_STATUSES = [
	'new',
	'open',
	'pending',
	'on_hold',
	'resolved',
	'closed'
] as const satisfies readonly Lowercase<TicketStatusName>[];
export const REST_PRIORITIES = [
	'low',
	'medium',
	'high',
	'critical'
] as const satisfies readonly Lowercase<TicketPriorityName>[];
export const REST_SOURCES = [
	'portal',
	'form',
	'email',
	'api',
	'chat',
	'agent'
] as const satisfies readonly Lowercase<TicketSourceName>[];

export const restStatusSchema = z.enum(REST_STATUSES, {
	error: `Choose a valid status: ${REST_STATUSES.join(', ')}.`
});
export const restPrioritySchema = z.enum(REST_PRIORITIES, {
	error: `Choose a valid priority: ${REST_PRIORITIES.join(', ')}.`
});
export const restSourceSchema = z.enum(REST_SOURCES, {
	error: `Choose a valid source: ${REST_SOURCES.join(', ')}.`
});

/** A name, an email address or an id — resolved against the database in rest.ts. */
const reference = (what: string, description: string) =>
	z
		.string({ error: `Name the ${what} by ${description}.` })
		.trim()
		.min(1, `Name the ${what} by ${description}.`)
		.max(254, `The ${what} must be at most 254 characters.`)
		.describe(`The ${what}: ${description}.`);

export const typeRef = reference('type', 'name (any case) or id');
export const categoryRef = reference('category', 'name (any case) or id');
export const groupRef = reference('group', 'name (any case) or id');
export const assigneeRef = reference('assignee', 'email, id, or "me"');
export const requesterRef = reference('requester', 'email or id');

const version = z
	.number({ error: 'The version must be a whole number.' })
	.int('The version must be a whole number.')
	.min(1, 'The version must be a whole number.')
	.max(2_147_483_647, 'The version must be a whole number.');

export const restTicketCreateSchema = z.strictObject({
	subject: subjectSchema.describe('A one-line summary, 3–200 characters.'),
	description: descriptionSchema
		.refine((s) => s.trim().length > 0, 'Describe the problem.')
		.describe('Markdown, up to 50,000 characters.'),
	priority: restPrioritySchema.optional().describe('Default medium.'),
	type: typeRef.optional(),
	category: categoryRef.optional(),
	requester: requesterSchema
		.optional()
		.describe(
			'Staff keys: who the ticket is for (an unknown address becomes a contact). Default: the key’s user.'
		),
	assignee: assigneeRef.optional().describe('Staff keys: an active agent by email, id or "me".'),
	group: groupRef.optional().describe('Staff keys: the team, by name or id.'),
	status: restStatusSchema.optional().describe('Staff keys. Default new.'),
	tags: tagsSchema.optional().describe('Staff keys: up to 20 tags (stored lower-case).'),
	customFields: customFieldsSchema.optional().describe('Values by custom field key.')
});
export type RestTicketCreate = z.output<typeof restTicketCreateSchema>;

/** The fields only staff keys may set when opening a ticket (end users get 403). */
export const STAFF_CREATE_FIELDS = ['requester', 'assignee', 'group', 'status', 'tags'] as const;

export const restTicketUpdateSchema = z.strictObject({
	version: version
		.optional()
		.describe('The version you read; a stale one is 409. Same as the If-Match header.'),
	subject: subjectSchema.optional(),
	description: descriptionSchema.optional().describe('Markdown.'),
	status: restStatusSchema.optional(),
	priority: restPrioritySchema.optional(),
	type: typeRef.nullable().optional().describe('Name or id; null clears it.'),
	category: categoryRef.nullable().optional().describe('Name or id; null clears it.'),
	requester: requesterRef.optional().describe('An existing person, by email or id.'),
	assignee: assigneeRef.nullable().optional().describe('Email, id or "me"; null unassigns.'),
	group: groupRef.nullable().optional().describe('Name or id; null removes the group.'),
	tags: tagsSchema.optional().describe('Replaces the tags.'),
	customFields: customFieldsSchema
		.optional()
		.describe('Merged into the current values; null clears one field.')
});
export type RestTicketUpdate = z.output<typeof restTicketUpdateSchema>;

export const restCommentCreateSchema = z.strictObject({
	body: z
		.string({ error: 'Write a message.' })
		.trim()
		.min(1, 'Write a message.')
		.max(100_000, 'The message must be at most 100,000 characters.')
		.describe('Markdown.'),
	internal: z
		.boolean({ error: 'internal must be true or false.' })
		.optional()
		.describe('An internal note, seen by staff only (staff keys). Default false.'),
	status: restStatusSchema
		.optional()
		.describe('Staff keys: set the ticket’s status in the same step.')
});
export type RestCommentCreate = z.output<typeof restCommentCreateSchema>;

const isoDate = z
	.union([z.iso.date(), z.iso.datetime({ offset: true })], {
		error: 'Use an ISO 8601 date (2025-01-31) or date-time (2025-01-31T09:00:00Z).'
	})
	.transform((s) => new Date(s));

/** Query parameters of GET /tickets; list parameters accept repeats and commas (status=new,open). */
export const restListQuerySchema = z.strictObject({
	status: z.array(restStatusSchema).max(6).optional().describe('One or more statuses.'),
	priority: z.array(restPrioritySchema).max(4).optional().describe('One or more priorities.'),
	assignee: z
		.array(assigneeRef)
		.max(50, 'At most 50 values.')
		.optional()
		.describe('"me", "none", emails or ids.'),
	group: z
		.array(groupRef)
		.max(50, 'At most 50 values.')
		.optional()
		.describe('"none", names or ids.'),
	type: z.array(typeRef).max(50, 'At most 50 values.').optional().describe('Names or ids.'),
	category: z.array(categoryRef).max(50, 'At most 50 values.').optional().describe('Names or ids.'),
	tag: z
		.array(tagSchema)
		.max(10, 'At most 10 tags.')
		.optional()
		.describe('Tickets with every tag.'),
	source: z.array(restSourceSchema).max(6).optional().describe('How tickets arrived.'),
	requester: requesterRef.optional(),
	q: z
		.string()
		.trim()
		.max(200, 'Search must be at most 200 characters.')
		.optional()
		.describe('Full-text search over subject, description and replies; tolerates typos.'),
	created_after: isoDate.optional().describe('Created at or after.'),
	created_before: isoDate.optional().describe('Created before.'),
	updated_after: isoDate.optional().describe('Updated at or after.'),
	updated_before: isoDate.optional().describe('Updated before.'),
	sort: z
		.enum(SORTS, { error: `Sort by ${SORTS.join(', ')}.` })
		.default('updated')
		.describe(
			'What to sort by. `sla`: SLA due — running clocks by their next due instant (first ' +
				'response while outstanding, else resolution), then paused tickets, then tickets ' +
				'without a due (no policy, resolved or closed).'
		),
	order: z
		.enum(['asc', 'desc'], { error: 'Order is asc or desc.' })
		.default('desc')
		.describe('Sort direction.'),
	limit: z.coerce
		.number({ error: 'Limit is a number from 1 to 100.' })
		.int('Limit is a number from 1 to 100.')
		.min(1, 'Limit is a number from 1 to 100.')
		.max(100, 'Limit is a number from 1 to 100.')
		.default(25)
		.describe('Page size.'),
	cursor: z
		.string()
		.max(200, 'The page cursor is not valid.')
		.optional()
		.describe('next_cursor from the previous page.')
});
export type RestListQuery = z.output<typeof restListQuerySchema>;
/** Query parameters that take several values. */
export const LIST_PARAMS = [
	'status',
	'priority',
	'assignee',
	'group',
	'type',
	'category',
	'tag',
	'source'
] as const;

// --- Responses ------------------------------------------------------------------------------

const dateTime = z.iso.datetime();

export const restPersonSchema = z.object({
	id: z.uuid(),
	name: z.string(),
	email: z.email()
});

export const restNamedSchema = z.object({ id: z.uuid(), name: z.string() });

export const restTicketSchema = z.object({
	id: z.uuid(),
	number: z.number().int().describe('The ticket number people use (#1042).'),
	url: z
		.url()
		.describe('The ticket in the helpdesk: the agent app for staff keys, the portal for others.'),
	subject: z.string(),
	description: z.string().describe('Markdown.'),
	status: restStatusSchema,
	priority: restPrioritySchema,
	type: restNamedSchema.nullable(),
	category: restNamedSchema.nullable(),
	source: restSourceSchema,
	requester: restPersonSchema,
	assignee: restPersonSchema.nullable(),
	group: restNamedSchema.nullable(),
	tags: z.array(z.string()),
	customFields: z.record(z.string(), z.unknown()),
	version: z.number().int().describe('Send it back in If-Match to update safely.'),
	mergedInto: z.number().int().nullable().describe('The ticket number it was merged into.'),
	firstResponseAt: dateTime.nullable(),
	resolvedAt: dateTime.nullable(),
	closedAt: dateTime.nullable(),
	createdAt: dateTime,
	updatedAt: dateTime,
	sla: z
		.object({
			policy: restNamedSchema,
			firstResponseDueAt: dateTime.nullable(),
			resolutionDueAt: dateTime.nullable(),
			state: z
				.enum(['on_track', 'at_risk', 'breached', 'met', 'paused'])
				.describe('paused: Pending or On hold, the clock stands still.')
		})
		.nullable()
		.describe('The SLA policy that applies and its due instants (UTC); null when none applies.')
});
export type RestTicket = z.input<typeof restTicketSchema>;

export const restCommentSchema = z.object({
	id: z.uuid(),
	body: z.string().describe('Markdown as written.'),
	html: z.string().describe('The body rendered and sanitised.'),
	internal: z.boolean().describe('An internal note (only staff keys ever see these).'),
	author: restPersonSchema.nullable(),
	source: restSourceSchema,
	createdAt: dateTime
});
export type RestComment = z.input<typeof restCommentSchema>;

export const restTicketDetailSchema = restTicketSchema.extend({
	comments: z.array(restCommentSchema).describe('Oldest first.')
});

export const restTicketPageSchema = z.object({
	data: z.array(restTicketSchema),
	next_cursor: z.string().nullable().describe('Pass as cursor for the next page.'),
	has_more: z.boolean()
});

export const restCommentListSchema = z.object({ data: z.array(restCommentSchema) });

export const restErrorSchema = z.object({
	error: z.object({
		code: z.enum([
			'BAD_REQUEST',
			'UNAUTHORIZED',
			'FORBIDDEN',
			'NOT_FOUND',
			'CONFLICT',
			'PAYLOAD_TOO_LARGE',
			'UNSUPPORTED_MEDIA_TYPE',
			'TOO_MANY_REQUESTS',
			'SERVICE_UNAVAILABLE',
			'INTERNAL'
		]),
		message: z.string().describe('For people: what happened and what to do.'),
		fields: z
			.record(z.string(), z.array(z.string()))
			.optional()
			.describe('Per-field messages (400), keyed by field or parameter name.')
	})
});

export const restMeSchema = z.object({
	id: z.uuid(),
	email: z.email(),
	name: z.string(),
	role: z.enum(['admin', 'it_manager', 'agent', 'end_user', 'requester']),
	title: z.string().nullable(),
	department: z.string().nullable(),
	groups: z.array(restNamedSchema)
});
