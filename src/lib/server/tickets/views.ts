import { z } from 'zod';
import { can } from '$lib/permissions';
import { audit } from '../audit';
import { db } from '../db/client';
import { AppError, forbidden, notFound } from '../errors';
import { countTickets } from './list';
import { OPEN_STATUSES, ticketListSchema, type TicketListInput } from './schemas';
import type { Scope, Viewer } from './access';
import type { Prisma } from '../db/generated/client';

/**
 * Saved ticket list views: a name and the list's filters. Personal views belong to their owner;
 * shared views are seen by every agent and edited only by holders of `view.manageShared`. The
 * built-in views are computed here, not stored, so every agent has them from the first day.
 */
export const viewFiltersSchema = ticketListSchema.omit({ cursor: true, limit: true });
export type ViewFilters = z.output<typeof viewFiltersSchema>;

const nameSchema = z
	.string({ error: 'Name is required.' })
	.trim()
	.min(1, 'Name is required.')
	.max(60, 'Name must be at most 60 characters.');

export const viewCreateSchema = z.object({
	name: nameSchema,
	filters: viewFiltersSchema,
	shared: z.boolean().default(false)
});
export const viewUpdateSchema = z.object({
	id: z.uuid(),
	name: nameSchema.optional(),
	filters: viewFiltersSchema.optional(),
	shared: z.boolean().optional()
});
export const viewReorderSchema = z.object({
	ids: z.array(z.uuid()).min(1).max(100)
});

export const MAX_VIEWS_PER_USER = 50;

export interface BuiltInView {
	id: string;
	name: string;
	filters: TicketListInput;
}

const open = [...OPEN_STATUSES];

/** The views every agent has. `now` fixes "recently" for tests. */
export function builtInViews(now = new Date()): BuiltInView[] {
	const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
	weekAgo.setUTCHours(0, 0, 0, 0);
	return [
		{ id: 'mine', name: 'My open tickets', filters: { assignee: ['me'], status: open } },
		{ id: 'unassigned', name: 'Unassigned', filters: { assignee: ['none'], status: open } },
		{ id: 'open', name: 'All open', filters: { status: open } },
		{ id: 'recent', name: 'Recently updated', filters: { updatedFrom: weekAgo } },
		{ id: 'resolved', name: 'Resolved', filters: { status: ['RESOLVED', 'CLOSED'] } }
	];
}

const viewSelect = {
	id: true,
	name: true,
	shared: true,
	filters: true,
	position: true,
	ownerId: true,
	updatedAt: true,
	owner: { select: { id: true, name: true } }
} satisfies Prisma.SavedViewSelect;

export type SavedViewRow = Omit<
	Prisma.SavedViewGetPayload<{ select: typeof viewSelect }>,
	'filters'
> & {
	filters: ViewFilters;
	/** The caller may rename, change or delete it. */
	editable: boolean;
};

const mayEdit = (viewer: Viewer, v: { ownerId: string; shared: boolean }) =>
	v.shared ? can(viewer.role, 'view.manageShared') : v.ownerId === viewer.id;

/** JSON for the filters column: validated, dates as ISO strings, nothing undefined. */
function storedFilters(filters: ViewFilters): Prisma.InputJsonValue {
	return JSON.parse(JSON.stringify(filters)) as Prisma.InputJsonValue;
}

/** A stored filter object read back; anything no longer valid is dropped rather than failing. */
function readFilters(json: Prisma.JsonValue): ViewFilters {
	const parsed = viewFiltersSchema.safeParse(json);
	if (parsed.success) return parsed.data;
	const obj = (json && typeof json === 'object' && !Array.isArray(json) ? json : {}) as Record<
		string,
		unknown
	>;
	const kept: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(obj)) {
		if (viewFiltersSchema.shape[k as keyof typeof viewFiltersSchema.shape]?.safeParse(v).success)
			kept[k] = v;
	}
	return viewFiltersSchema.parse(kept);
}

const row = (
	viewer: Viewer,
	v: Prisma.SavedViewGetPayload<{ select: typeof viewSelect }>
): SavedViewRow => ({
	...v,
	filters: readFilters(v.filters),
	editable: mayEdit(viewer, v)
});

/** The caller's own views (their order), then views others shared. */
export async function listViews(viewer: Viewer): Promise<SavedViewRow[]> {
	const rows = await db().savedView.findMany({
		where: { OR: [{ ownerId: viewer.id }, { shared: true }] },
		select: viewSelect,
		orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }]
	});
	const mine = rows.filter((r) => r.ownerId === viewer.id);
	const others = rows.filter((r) => r.ownerId !== viewer.id);
	return [...mine, ...others].map((v) => row(viewer, v));
}

async function requireEditable(viewer: Viewer, id: string) {
	const view = await db().savedView.findFirst({
		where: { id, OR: [{ ownerId: viewer.id }, { shared: true }] },
		select: { id: true, ownerId: true, shared: true, name: true }
	});
	if (!view) throw notFound('View not found.');
	if (!mayEdit(viewer, view)) throw forbidden('Only managers can change shared views.');
	return view;
}

function requireShareRight(viewer: Viewer) {
	if (!can(viewer.role, 'view.manageShared')) throw forbidden('Only managers can share views.');
}

async function requireFreeName(ownerId: string, name: string, except?: string) {
	const taken = await db().savedView.findFirst({
		where: {
			ownerId,
			name: { equals: name, mode: 'insensitive' },
			id: except ? { not: except } : undefined
		},
		select: { id: true }
	});
	if (taken) {
		const msg = 'You already have a view with this name.';
		throw new AppError('CONFLICT', msg, { name: [msg] });
	}
}

export async function createView(
	viewer: Viewer,
	raw: z.input<typeof viewCreateSchema>
): Promise<SavedViewRow> {
	const input = viewCreateSchema.parse(raw);
	if (input.shared) requireShareRight(viewer);
	await requireFreeName(viewer.id, input.name);
	const view = await db().$transaction(async (tx) => {
		const agg = await tx.savedView.aggregate({
			where: { ownerId: viewer.id },
			_count: true,
			_max: { position: true }
		});
		if (agg._count >= MAX_VIEWS_PER_USER) {
			throw new AppError(
				'BAD_REQUEST',
				`You can keep at most ${MAX_VIEWS_PER_USER} views. Delete one you no longer use.`
			);
		}
		const created = await tx.savedView.create({
			data: {
				name: input.name,
				shared: input.shared,
				ownerId: viewer.id,
				filters: storedFilters(input.filters),
				position: (agg._max.position ?? -1) + 1
			},
			select: viewSelect
		});
		if (created.shared) {
			await audit(tx, {
				actorId: viewer.id,
				action: 'view.create',
				entityType: 'SavedView',
				entityId: created.id,
				data: { name: created.name, shared: true }
			});
		}
		return created;
	});
	return row(viewer, view);
}

export async function updateView(
	viewer: Viewer,
	raw: z.input<typeof viewUpdateSchema>
): Promise<SavedViewRow> {
	const { id, ...input } = viewUpdateSchema.parse(raw);
	const current = await requireEditable(viewer, id);
	if (input.shared !== undefined && input.shared !== current.shared) requireShareRight(viewer);
	if (input.name !== undefined) await requireFreeName(current.ownerId, input.name, id);
	const view = await db().$transaction(async (tx) => {
		const updated = await tx.savedView.update({
			where: { id },
			data: {
				name: input.name,
				shared: input.shared,
				filters: input.filters ? storedFilters(input.filters) : undefined
			},
			select: viewSelect
		});
		if (current.shared || updated.shared) {
			await audit(tx, {
				actorId: viewer.id,
				action: 'view.update',
				entityType: 'SavedView',
				entityId: id,
				data: { name: updated.name, shared: updated.shared }
			});
		}
		return updated;
	});
	return row(viewer, view);
}

export async function deleteView(viewer: Viewer, id: string): Promise<void> {
	const current = await requireEditable(viewer, id);
	await db().$transaction(async (tx) => {
		await tx.savedView.delete({ where: { id } });
		if (current.shared) {
			await audit(tx, {
				actorId: viewer.id,
				action: 'view.delete',
				entityType: 'SavedView',
				entityId: id,
				data: { name: current.name }
			});
		}
	});
}

/** New order for views the caller may edit: `ids` first in that order, the rest after. */
export async function reorderViews(
	viewer: Viewer,
	raw: z.input<typeof viewReorderSchema>
): Promise<SavedViewRow[]> {
	const { ids } = viewReorderSchema.parse(raw);
	const unique = [...new Set(ids)];
	const rows = await db().savedView.findMany({
		where: { id: { in: unique }, OR: [{ ownerId: viewer.id }, { shared: true }] },
		select: { id: true, ownerId: true, shared: true }
	});
	if (rows.length !== unique.length) throw notFound('View not found.');
	if (rows.some((r) => !mayEdit(viewer, r)))
		throw forbidden('Only managers can move shared views.');
	await db().$transaction(
		unique.map((id, position) => db().savedView.update({ where: { id }, data: { position } }))
	);
	return listViews(viewer);
}

/** Counts for the built-in and saved views, capped (the sidebar shows "999+"). */
export async function viewCounts(
	scope: Scope,
	cap = 999
): Promise<Record<string, { count: number; capped: boolean }>> {
	const views = [
		{ id: 'all', filters: {} as TicketListInput },
		...builtInViews(),
		...(await listViews(scope.viewer))
	];
	const counts = await Promise.all(views.map((v) => countTickets(scope, v.filters, cap)));
	return Object.fromEntries(views.map((v, i) => [v.id, counts[i]!]));
}
