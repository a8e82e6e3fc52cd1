import type { RestComment, RestTicket } from './rest-schemas';

/** Examples shown in the OpenAPI document (the tests check each against its schema). */
const ORIGIN = '{{origin}}';

export const exampleTicket: RestTicket = {
	id: '0f8b2c1e-4d7a-4c3b-9e21-6a5f3b2d1c0e',
	number: 1042,
	url: `${ORIGIN}/app/tickets/1042`,
	subject: 'VPN drops every few minutes',
	description: 'Since this morning the VPN disconnects every 5–10 minutes on my laptop.',
	status: 'open',
	priority: 'high',
	type: { id: '3c1d9a8e-2b7f-4e6a-8d5c-1f0e9b8a7c6d', name: 'Incident' },
	category: { id: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d', name: 'Network' },
	source: 'api',
	requester: {
		id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
		name: 'Maya Lopez',
		email: 'maya.lopez@example.com'
	},
	assignee: {
		id: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
		name: 'Sam Okafor',
		email: 'sam.okafor@example.com'
	},
	group: { id: 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f', name: 'Network' },
	tags: ['vpn', 'remote'],
	customFields: { asset_tag: 'LT-2231' },
	version: 3,
	mergedInto: null,
	firstResponseAt: '2025-03-04T09:21:44.000Z',
	resolvedAt: null,
	closedAt: null,
	createdAt: '2025-03-04T09:02:10.000Z',
	updatedAt: '2025-03-04T09:40:02.000Z',
	sla: {
		policy: { id: '6d1f9a2e-3b4c-4d5e-8f90-1a2b3c4d5e6f', name: 'Standard (24×7)' },
		firstResponseDueAt: '2025-03-04T10:02:10.000Z',
		resolutionDueAt: '2025-03-04T17:02:10.000Z',
		state: 'on_track'
	}
};

export const exampleComment: RestComment = {
	id: 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a',
	body: 'Could you try the **new client** (v5.2)? It fixes a keep-alive bug.',
	html: '<p>Could you try the <strong>new client</strong> (v5.2)? It fixes a keep-alive bug.</p>',
	internal: false,
	author: exampleTicket.assignee,
	source: 'agent',
	createdAt: '2025-03-04T09:21:44.000Z'
};

export const exampleCreate = {
	subject: 'VPN drops every few minutes',
	description: 'Since this morning the VPN disconnects every 5–10 minutes on my laptop.',
	priority: 'high',
	type: 'Incident',
	requester: { email: 'maya.lopez@example.com', name: 'Maya Lopez' },
	tags: ['vpn']
};

export const exampleUpdate = { status: 'pending', assignee: 'sam.okafor@example.com' };

export const exampleCommentCreate = { body: 'Thanks, the new client fixed it.' };

export const exampleErrors = {
	BadRequest: {
		error: {
			code: 'BAD_REQUEST',
			message: 'Some fields are not valid.',
			fields: {
				subject: ['Subject must be at least 3 characters.'],
				type: ['There is no ticket type “Incidnet”.']
			}
		}
	},
	Unauthorized: {
		error: { code: 'UNAUTHORIZED', message: 'Sign in, or send Authorization: Bearer <API key>.' }
	},
	Forbidden: { error: { code: 'FORBIDDEN', message: 'You do not have permission to do that.' } },
	NotFound: { error: { code: 'NOT_FOUND', message: 'Ticket not found.' } },
	Conflict: {
		error: {
			code: 'CONFLICT',
			message:
				'This ticket was changed by Sam Okafor just now. Reload to see their changes; nothing was overwritten.'
		}
	},
	PayloadTooLarge: {
		error: {
			code: 'PAYLOAD_TOO_LARGE',
			message: 'The request body must be at most 1 MB (1048576 bytes).'
		}
	},
	UnsupportedMediaType: {
		error: {
			code: 'UNSUPPORTED_MEDIA_TYPE',
			message: 'Send the message as raw MIME (Content-Type: message/rfc822).'
		}
	},
	TooManyRequests: {
		error: {
			code: 'TOO_MANY_REQUESTS',
			message: 'Too many requests: 600 per minute per API key. Try again in 12 s.'
		}
	}
};
