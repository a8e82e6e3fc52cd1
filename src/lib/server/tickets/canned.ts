import { z } from 'zod';
import { can, type RoleName } from '$lib/permissions';
import { db } from '../db/client';
import { audit } from '../audit';
import { forbidden, notFound } from '../errors';
import type { Prisma } from '../db/generated/client';
import { requireTicket, type Scope } from './access';

/**
 * Canned responses: shared ones (no owner) that every agent may use and managers maintain, and
 * each agent's own. Bodies may hold placeholders such as {{requester.firstName}}, filled in for
 * one ticket by `cannedForTicket`.
 */
export interface CannedActor {
	id: string;
	role: RoleName;
	ip?: string | null;
}

export const cannedSchema = z.object({
	title: z
		.string({ error: 'Title is required.' })
		.trim()
		.min(1, 'Title is required.')
		.max(120, 'Title must be at most 120 characters.'),
	body: z
		.string({ error: 'Write the response.' })
		.trim()
		.min(1, 'Write the response.')
		.max(10_000, 'The response must be at most 10,000 characters.'),
	/** Shared with every agent (managers only). */
	shared: z.boolean().default(false)
});
export type CannedInput = z.input<typeof cannedSchema>;
export const cannedUpdateSchema = cannedSchema.extend({ id: z.uuid() });
export const cannedListSchema = z
	.object({ search: z.string().trim().max(100).optional() })
	.default({});

export const PLACEHOLDERS = [
	'requester.name',
	'requester.firstName',
	'requester.email',
	'ticket.number',
	'ticket.subject',
	'ticket.status',
	'agent.name',
	'agent.firstName'
] as const;

const cannedSelect = {
	id: true,
	title: true,
	body: true,
	ownerId: true,
	updatedAt: true
} as const;
type Row = Prisma.CannedResponseGetPayload<{ select: typeof cannedSelect }>;

const visibleTo = (actor: CannedActor) => ({ OR: [{ ownerId: null }, { ownerId: actor.id }] });
const managesShared = (actor: CannedActor) => can(actor.role, 'cannedResponse.manageShared');

function view(actor: CannedActor, row: Row) {
	const shared = row.ownerId === null;
	return {
		id: row.id,
		title: row.title,
		body: row.body,
		shared,
		editable: shared ? managesShared(actor) : true,
		updatedAt: row.updatedAt
	};
}
export type CannedView = ReturnType<typeof view>;

export async function listCanned(actor: CannedActor, input: z.input<typeof cannedListSchema> = {}) {
	const { search } = cannedListSchema.parse(input);
	const rows = await db().cannedResponse.findMany({
		where: {
			AND: [
				visibleTo(actor),
				search
					? {
							OR: [
								{ title: { contains: search, mode: 'insensitive' } },
								{ body: { contains: search, mode: 'insensitive' } }
							]
						}
					: {}
			]
		},
		select: cannedSelect,
		orderBy: [{ title: 'asc' }, { id: 'asc' }],
		take: 500
	});
	return rows.map((r) => view(actor, r));
}

async function editable(actor: CannedActor, id: string): Promise<Row> {
	const row = await db().cannedResponse.findFirst({
		where: { AND: [{ id }, visibleTo(actor)] },
		select: cannedSelect
	});
	if (!row) throw notFound('Canned response not found.');
	if (row.ownerId === null && !managesShared(actor)) {
		throw forbidden('Only managers can change shared canned responses.');
	}
	return row;
}

function record(
	tx: Prisma.TransactionClient,
	actor: CannedActor,
	verb: string,
	id: string,
	data: Prisma.InputJsonValue
) {
	return audit(tx, {
		actorId: actor.id,
		action: `cannedResponse.${verb}`,
		entityType: 'CannedResponse',
		entityId: id,
		data,
		ip: actor.ip
	});
}

export async function createCanned(actor: CannedActor, input: CannedInput) {
	const { title, body, shared } = cannedSchema.parse(input);
	if (shared && !managesShared(actor)) {
		throw forbidden('Only managers can create shared canned responses.');
	}
	const row = await db().$transaction(async (tx) => {
		const r = await tx.cannedResponse.create({
			data: { title, body, ownerId: shared ? null : actor.id },
			select: cannedSelect
		});
		await record(tx, actor, 'create', r.id, { title, shared });
		return r;
	});
	return view(actor, row);
}

export async function updateCanned(actor: CannedActor, input: z.input<typeof cannedUpdateSchema>) {
	const { id, title, body, shared } = cannedUpdateSchema.parse(input);
	const current = await editable(actor, id);
	if (shared && current.ownerId !== null && !managesShared(actor)) {
		throw forbidden('Only managers can share canned responses with everyone.');
	}
	// A shared response made private becomes the manager's own.
	const ownerId = shared ? null : (current.ownerId ?? actor.id);
	const row = await db().$transaction(async (tx) => {
		const r = await tx.cannedResponse.update({
			where: { id },
			data: { title, body, ownerId },
			select: cannedSelect
		});
		await record(tx, actor, 'update', id, { title, shared });
		return r;
	});
	return view(actor, row);
}

export async function deleteCanned(actor: CannedActor, id: string): Promise<void> {
	const current = await editable(actor, id);
	await db().$transaction(async (tx) => {
		await tx.cannedResponse.delete({ where: { id } });
		await record(tx, actor, 'delete', id, { title: current.title });
	});
}

// ---- Placeholders -----------------------------------------------------------------------------

export interface CannedContext {
	requester?: { name: string; email?: string | null } | null;
	ticket?: { number: number; subject: string; status: string } | null;
	agent?: { name: string } | null;
}

const STATUS_TEXT: Record<string, string> = {
	NEW: 'New',
	OPEN: 'Open',
	PENDING: 'Pending',
	ON_HOLD: 'On hold',
	RESOLVED: 'Resolved',
	CLOSED: 'Closed'
};

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? '';

/** Fills {{requester.firstName}} and friends; unknown placeholders are left as written. */
export function renderCanned(body: string, ctx: CannedContext): string {
	const { requester, ticket, agent } = ctx;
	const values: Record<string, string | undefined> = {
		'requester.name': requester?.name,
		'requester.firstName': requester ? firstName(requester.name) : undefined,
		'requester.email': requester?.email ?? undefined,
		'ticket.number': ticket ? String(ticket.number) : undefined,
		'ticket.subject': ticket?.subject,
		'ticket.status': ticket ? (STATUS_TEXT[ticket.status] ?? ticket.status) : undefined,
		'agent.name': agent?.name,
		'agent.firstName': agent ? firstName(agent.name) : undefined
	};
	return body.replace(/\{\{\s*([A-Za-z]+\.[A-Za-z]+)\s*\}\}/g, (whole, key: string) => {
		const value = Object.hasOwn(values, key) ? values[key] : undefined;
		return value ?? whole;
	});
}

/** A canned response filled in for one ticket the viewer may see. */
export async function cannedForTicket(scope: Scope, ticketRef: string | number, cannedId: string) {
	const { id } = await requireTicket(scope, ticketRef);
	const viewer = scope.viewer;
	const [canned, ticket, agent] = await Promise.all([
		db().cannedResponse.findFirst({
			where: { id: cannedId, OR: [{ ownerId: null }, { ownerId: viewer.id }] },
			select: { id: true, title: true, body: true }
		}),
		db().ticket.findUniqueOrThrow({
			where: { id },
			select: {
				number: true,
				subject: true,
				status: true,
				requester: { select: { name: true, email: true } }
			}
		}),
		viewer.name
			? { name: viewer.name }
			: db().user.findUnique({ where: { id: viewer.id }, select: { name: true } })
	]);
	if (!canned) throw notFound('Canned response not found.');
	return {
		id: canned.id,
		title: canned.title,
		body: renderCanned(canned.body, { requester: ticket.requester, ticket, agent })
	};
}
