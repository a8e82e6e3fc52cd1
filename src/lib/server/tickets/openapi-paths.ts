import { z } from 'zod';
import { restListQuerySchema } from './rest-schemas';
import * as ex from './openapi-examples';

/** The paths of the OpenAPI document (openapi.ts assembles it); `{{origin}}` is filled in later. */
type Json = Record<string, unknown>;

/** JSON Schema → OpenAPI component: no $schema/$id, no zod's long regexes beside a format. */
export function tidy(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(tidy);
	if (!node || typeof node !== 'object') return node;
	const out: Json = {};
	for (const [k, v] of Object.entries(node)) {
		if (k === '$schema' || k === '$id') continue;
		if (k === 'pattern' && 'format' in node) continue;
		// z.int() bounds itself to safe integers: true, but noise in a reference.
		if ((k === 'minimum' || k === 'maximum') && Math.abs(v as number) === Number.MAX_SAFE_INTEGER)
			continue;
		out[k] = tidy(v);
	}
	return out;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorRef = (name: keyof typeof ex.exampleErrors) => ({
	$ref: `#/components/responses/${name}`
});
const body = (schema: string, example: unknown) => ({
	required: true,
	content: { 'application/json': { schema: ref(schema), example } }
});
const ok = (description: string, schema: string, example: unknown, headers?: Json) => ({
	description,
	...(headers ? { headers } : {}),
	content: { 'application/json': { schema: ref(schema), example } }
});
const rateHeaders = {
	'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
	'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
	'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' }
};

function curl(method: string, path: string, data?: unknown, extra: string[] = []): Json {
	const lines = [
		`curl -X ${method} '{{origin}}/api/v1${path}'`,
		'  -H "Authorization: Bearer $API_KEY"'
	];
	for (const h of extra) lines.push(`  -H '${h}'`);
	if (data !== undefined) {
		lines.push(`  -H 'Content-Type: application/json'`);
		lines.push(`  -d '${JSON.stringify(data)}'`);
	}
	return { 'x-codeSamples': [{ lang: 'Shell', label: 'curl', source: lines.join(' \\\n') }] };
}

const numberParam = {
	name: 'number',
	in: 'path',
	required: true,
	description: 'The ticket number (1042 for #1042).',
	schema: { type: 'integer', minimum: 1 },
	example: 1042
};

function listParameters(): Json[] {
	return Object.entries(restListQuerySchema.shape).map(([name, schema]) => {
		const json = tidy(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as Json;
		const { description, ...rest } = json;
		const isList = rest.type === 'array';
		return {
			name,
			in: 'query',
			required: false,
			description:
				`${String(description ?? '')}${isList ? ' Comma-separated or repeated.' : ''}`.trim(),
			schema: rest,
			...(isList ? { style: 'form', explode: false } : {})
		};
	});
}

export function paths(): Json {
	const ticketErrors = {
		'401': errorRef('Unauthorized'),
		'403': errorRef('Forbidden'),
		'429': errorRef('TooManyRequests')
	};
	return {
		'/tickets': {
			get: {
				operationId: 'listTickets',
				tags: ['Tickets'],
				summary: 'List tickets',
				description:
					'The tickets the key’s user may see (end users: their own), newest activity first. Pages are keyset-based: pass `next_cursor` back as `cursor` (also in the `Link: rel="next"` header). Unknown parameters are refused.',
				parameters: listParameters(),
				responses: {
					'200': ok(
						'A page of tickets.',
						'TicketPage',
						{
							data: [ex.exampleTicket],
							next_cursor: 'WyIyMDI1LTAzLTA0VDA5OjQwOjAyLjAwMFoiXQ',
							has_more: true
						},
						{
							Link: { description: 'rel="next": the next page.', schema: { type: 'string' } },
							...rateHeaders
						}
					),
					'400': errorRef('BadRequest'),
					...ticketErrors
				},
				...curl('GET', '/tickets?status=new,open&assignee=me&limit=50')
			},
			post: {
				operationId: 'createTicket',
				tags: ['Tickets'],
				summary: 'Open a ticket',
				description:
					'End-user keys open tickets for themselves; staff keys may also set the requester, assignee, group, status and tags. Send an `Idempotency-Key` to retry safely: the same key returns the first ticket (200, `Idempotent-Replayed: true`) and never opens a second.',
				parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
				requestBody: body('TicketCreate', ex.exampleCreate),
				responses: {
					'201': ok('Opened.', 'Ticket', ex.exampleTicket, {
						Location: { description: 'The ticket’s API URL.', schema: { type: 'string' } },
						ETag: { $ref: '#/components/headers/ETag' },
						...rateHeaders
					}),
					'200': ok(
						'Replayed: this Idempotency-Key opened this ticket before.',
						'Ticket',
						ex.exampleTicket,
						{
							'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] } }
						}
					),
					'400': errorRef('BadRequest'),
					'413': errorRef('PayloadTooLarge'),
					...ticketErrors
				},
				...curl('POST', '/tickets', ex.exampleCreate, [
					'Idempotency-Key: 5f0c6a52-1f7e-4b8e-a8a3-2c1d0e9f8b7a'
				])
			}
		},
		'/tickets/{number}': {
			parameters: [numberParam],
			get: {
				operationId: 'getTicket',
				tags: ['Tickets'],
				summary: 'Get a ticket',
				description:
					'The ticket and its conversation. End-user keys see public replies only; staff keys also see internal notes (`internal: true`). A ticket the key may not see is a 404, exactly like a missing one.',
				responses: {
					'200': ok(
						'The ticket.',
						'TicketWithComments',
						{ ...ex.exampleTicket, comments: [ex.exampleComment] },
						{
							ETag: { $ref: '#/components/headers/ETag' },
							...rateHeaders
						}
					),
					'404': errorRef('NotFound'),
					...ticketErrors
				},
				...curl('GET', '/tickets/1042')
			},
			patch: {
				operationId: 'updateTicket',
				tags: ['Tickets'],
				summary: 'Update a ticket',
				description:
					'Staff keys. Send only what changes. With `If-Match: "<version>"` (the ETag you read) the update applies only if nobody changed the ticket since; otherwise 409 and nothing is written.',
				parameters: [{ $ref: '#/components/parameters/IfMatch' }],
				requestBody: body('TicketUpdate', ex.exampleUpdate),
				responses: {
					'200': ok('Updated.', 'Ticket', ex.exampleTicket, {
						ETag: { $ref: '#/components/headers/ETag' },
						...rateHeaders
					}),
					'400': errorRef('BadRequest'),
					'404': errorRef('NotFound'),
					'409': errorRef('Conflict'),
					'413': errorRef('PayloadTooLarge'),
					...ticketErrors
				},
				...curl('PATCH', '/tickets/1042', ex.exampleUpdate, ['If-Match: "3"'])
			}
		},
		'/tickets/{number}/comments': {
			parameters: [numberParam],
			get: {
				operationId: 'listComments',
				tags: ['Comments'],
				summary: 'List comments',
				description: 'The conversation, oldest first. Internal notes only for staff keys.',
				responses: {
					'200': ok('The comments.', 'CommentList', { data: [ex.exampleComment] }, rateHeaders),
					'404': errorRef('NotFound'),
					...ticketErrors
				},
				...curl('GET', '/tickets/1042/comments')
			},
			post: {
				operationId: 'addComment',
				tags: ['Comments'],
				summary: 'Add a comment',
				description:
					'A public reply the requester sees, or with `internal: true` an internal note (staff keys; others get 403). A requester’s reply reopens a pending or resolved ticket.',
				requestBody: body('CommentCreate', ex.exampleCommentCreate),
				responses: {
					'201': ok('Added.', 'Comment', ex.exampleComment, rateHeaders),
					'400': errorRef('BadRequest'),
					'404': errorRef('NotFound'),
					'409': errorRef('Conflict'),
					'413': errorRef('PayloadTooLarge'),
					...ticketErrors
				},
				...curl('POST', '/tickets/1042/comments', ex.exampleCommentCreate)
			}
		},
		'/me': {
			get: {
				operationId: 'getMe',
				tags: ['Account'],
				summary: 'Who the key acts as',
				description: 'Check a key: the user it belongs to, with their role and teams.',
				responses: {
					'200': ok('The key’s user.', 'Me', {
						id: ex.exampleTicket.assignee!.id,
						email: ex.exampleTicket.assignee!.email,
						name: ex.exampleTicket.assignee!.name,
						role: 'agent',
						title: 'Network engineer',
						department: 'IT',
						groups: [ex.exampleTicket.group]
					}),
					'401': errorRef('Unauthorized')
				},
				...curl('GET', '/me')
			}
		},
		'/inbound/email': {
			post: {
				operationId: 'receiveInboundEmail',
				tags: ['Mail'],
				summary: 'Receive an email (inbound route)',
				description:
					'For mail providers’ inbound routes: the raw MIME message as the body, authenticated by the mail account’s webhook secret (`Authorization: Bearer <secret>`, `X-Helpdesk-Secret`, or HTTP Basic with the secret as password) instead of an API key. A form field `email`, `body-mime` or `message` holding the raw message is accepted too. The message becomes a ticket or a reply exactly once: a redelivery answers `duplicate: true`.',
				security: [],
				requestBody: {
					required: true,
					content: {
						'message/rfc822': { schema: { type: 'string', format: 'binary' } },
						'application/octet-stream': { schema: { type: 'string', format: 'binary' } }
					}
				},
				responses: {
					'202': {
						description: 'Stored (and imported).',
						content: {
							'application/json': {
								schema: {
									type: 'object',
									required: ['id', 'duplicate'],
									properties: {
										id: { type: 'string', format: 'uuid' },
										duplicate: { type: 'boolean' }
									}
								},
								example: { id: '7d0c1a52-4b5e-4c1e-9a55-0f7c2d3e8a10', duplicate: false }
							}
						}
					},
					'400': errorRef('BadRequest'),
					'401': errorRef('Unauthorized'),
					'403': errorRef('Forbidden'),
					'413': errorRef('PayloadTooLarge'),
					'415': errorRef('UnsupportedMediaType')
				},
				'x-codeSamples': [
					{
						lang: 'Shell',
						label: 'curl',
						source:
							"curl -X POST '{{origin}}/api/v1/inbound/email' \\\n  -H 'Authorization: Bearer <webhook secret>' \\\n  -H 'Content-Type: message/rfc822' \\\n  --data-binary @message.eml"
					}
				]
			}
		},
		'/openapi.json': {
			get: {
				operationId: 'getOpenApi',
				tags: ['Meta'],
				summary: 'This document',
				description: 'The OpenAPI 3.1 description of this API. Public.',
				security: [],
				responses: {
					'200': {
						description: 'The document.',
						content: { 'application/json': { schema: { type: 'object' } } }
					}
				},
				'x-codeSamples': [
					{ lang: 'Shell', label: 'curl', source: `curl '{{origin}}/api/v1/openapi.json'` }
				]
			}
		}
	};
}
