import { z } from 'zod';
import { REST_RATE_LIMIT } from './rest-limit';
import { MAX_BODY_LABEL } from './rest-body';
import {
	restCommentCreateSchema,
	restCommentListSchema,
	restCommentSchema,
	restErrorSchema,
	restMeSchema,
	restNamedSchema,
	restPersonSchema,
	restPrioritySchema,
	restSourceSchema,
	restStatusSchema,
	restTicketCreateSchema,
	restTicketDetailSchema,
	restTicketPageSchema,
	restTicketSchema,
	restTicketUpdateSchema
} from './rest-schemas';
import * as ex from './openapi-examples';
import { paths, ref, tidy } from './openapi-paths';

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas that validate the
 * requests (rest-schemas.ts). Built once with an `{{origin}}` placeholder; `openApiDocument`
 * fills in the origin the caller reached us by (servers, links, curl samples).
 */
type Json = Record<string, unknown>;

export const OPENAPI_COMPONENTS: [string, z.ZodType][] = [
	['Ticket', restTicketSchema],
	['TicketWithComments', restTicketDetailSchema],
	['TicketPage', restTicketPageSchema],
	['TicketCreate', restTicketCreateSchema],
	['TicketUpdate', restTicketUpdateSchema],
	['Comment', restCommentSchema],
	['CommentList', restCommentListSchema],
	['CommentCreate', restCommentCreateSchema],
	['Person', restPersonSchema],
	['NamedRef', restNamedSchema],
	['Status', restStatusSchema],
	['Priority', restPrioritySchema],
	['Source', restSourceSchema],
	['Me', restMeSchema],
	['Error', restErrorSchema]
];

function schemas(): Record<string, unknown> {
	const registry = z.registry<{ id: string }>();
	for (const [id, schema] of OPENAPI_COMPONENTS) registry.add(schema, { id });
	const { schemas: all } = z.toJSONSchema(registry, {
		io: 'input',
		unrepresentable: 'any',
		uri: (id) => `#/components/schemas/${id}`
	});
	return tidy(all) as Record<string, unknown>;
}

const errorResponses = (): Json =>
	Object.fromEntries(
		(
			[
				['BadRequest', 'Some input is not valid; `fields` says which and why.'],
				['Unauthorized', 'No key, or a revoked, expired or unknown key.'],
				['Forbidden', 'The key’s user may not do this.'],
				['NotFound', 'No such ticket, or one the key may not see (the same answer).'],
				['Conflict', 'The ticket changed since you read it (or is merged / closed).'],
				['PayloadTooLarge', `The body is over ${MAX_BODY_LABEL} (for mail: the mail size limit).`],
				['UnsupportedMediaType', 'The body is not of a type this operation takes.'],
				['TooManyRequests', `Over ${REST_RATE_LIMIT} requests per minute for this key.`]
			] as const
		).map(([name, description]) => [
			name,
			{
				description,
				...(name === 'TooManyRequests'
					? { headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } }
					: {}),
				content: {
					'application/json': { schema: ref('Error'), example: ex.exampleErrors[name] }
				}
			}
		])
	);

function build(): Json {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Helpdesk REST API',
			version: '1.0.0',
			description: `Open, find, update and answer tickets from scripts and other systems. Every request acts as the user who owns the API key, with exactly that user’s permissions. Bodies are JSON (at most ${MAX_BODY_LABEL}); enums are lower-case; people are named by email or id, teams, types and categories by name or id. Errors are \`{ "error": { "code", "message", "fields"? } }\`.`
		},
		servers: [{ url: '{{origin}}/api/v1' }],
		security: [{ bearerAuth: [] }],
		tags: [
			{ name: 'Tickets', description: 'Open, list, read and update tickets.' },
			{ name: 'Comments', description: 'Replies and internal notes.' },
			{ name: 'Account', description: 'The key’s user.' },
			{ name: 'Mail', description: 'Inbound mail from providers’ inbound routes.' },
			{ name: 'Meta', description: 'About the API itself.' }
		],
		paths: paths(),
		components: {
			securitySchemes: {
				bearerAuth: {
					type: 'http',
					scheme: 'bearer',
					bearerFormat: 'API key (itsm_…)',
					description:
						'An API key in `Authorization: Bearer <key>`. Admins create keys for any user under Admin → API keys; the full key is shown once.'
				}
			},
			schemas: schemas(),
			responses: errorResponses(),
			parameters: {
				IdempotencyKey: {
					name: 'Idempotency-Key',
					in: 'header',
					required: false,
					description:
						'1–200 printable characters (a UUID is ideal). Retrying with the same key returns the ticket the first request opened.',
					schema: { type: 'string', minLength: 1, maxLength: 200 }
				},
				IfMatch: {
					name: 'If-Match',
					in: 'header',
					required: false,
					description: 'The version you read, quoted ("3") — the ETag of GET. Stale → 409.',
					schema: { type: 'string' },
					example: '"3"'
				}
			},
			headers: {
				ETag: { description: 'The ticket version, quoted.', schema: { type: 'string' } },
				'Retry-After': {
					description: 'Seconds until the key may call again.',
					schema: { type: 'integer' }
				},
				'RateLimit-Limit': {
					description: 'Requests allowed per minute.',
					schema: { type: 'integer' }
				},
				'RateLimit-Remaining': {
					description: 'Requests left in this minute.',
					schema: { type: 'integer' }
				},
				'RateLimit-Reset': {
					description: 'Seconds until the budget refills.',
					schema: { type: 'integer' }
				}
			}
		}
	};
}

let template: string | undefined;

/** The document for callers who reached us at `origin` (e.g. https://help.example.com). */
export function openApiDocument(origin: string): Json {
	template ??= JSON.stringify(build());
	const safe = JSON.stringify(origin).slice(1, -1);
	return JSON.parse(template.replaceAll('{{origin}}', () => safe)) as Json;
}
