import { audit } from '../audit';
import { AppError, notFound } from '../errors';
import type { Prisma } from '../db/generated/client';
import type { Actor } from '../identity/users';

/** The checks and shapes behind config.ts: names, the category tree, field keys, usage. */
type Tx = Prisma.TransactionClient;

export const typeSelect = {
	id: true,
	name: true,
	description: true,
	position: true,
	active: true,
	_count: { select: { tickets: true } }
} as const;
export const categorySelect = {
	id: true,
	name: true,
	parentId: true,
	position: true,
	active: true,
	_count: { select: { tickets: true, children: true } }
} as const;
type TypeRow = Prisma.TicketTypeGetPayload<{ select: typeof typeSelect }>;
type CategoryRow = Prisma.TicketCategoryGetPayload<{ select: typeof categorySelect }>;
export const typeView = ({ _count, ...t }: TypeRow) => ({ ...t, ticketCount: _count.tickets });
export const categoryView = ({ _count, ...c }: CategoryRow) => ({
	...c,
	ticketCount: _count.tickets,
	childCount: _count.children
});
export const fieldSelect = {
	id: true,
	key: true,
	label: true,
	kind: true,
	options: true,
	required: true,
	public: true,
	typeIds: true,
	helpText: true,
	position: true,
	active: true
} as const;
export const ordered = [{ position: 'asc' as const }, { name: 'asc' as const }];

const bad = (field: string, message: string) =>
	new AppError('BAD_REQUEST', message, { [field]: [message] });
const taken = (field: string, message: string) =>
	new AppError('CONFLICT', message, { [field]: [message] });
const notSelf = (id?: string) => (id ? { NOT: { id } } : {});

export async function checkTypeName(tx: Tx, name: string, id?: string): Promise<void> {
	const clash = await tx.ticketType.findFirst({
		where: { name: { equals: name, mode: 'insensitive' }, ...notSelf(id) },
		select: { id: true }
	});
	if (clash) throw taken('name', 'A ticket type with this name already exists.');
}

/** The parent exists, is not the category itself or below it, and the name is free there. */
export async function checkCategory(
	tx: Tx,
	c: { id?: string; name: string; parentId: string | null }
): Promise<void> {
	if (c.id && !(await tx.ticketCategory.findUnique({ where: { id: c.id }, select: { id: true } })))
		throw notFound('That item no longer exists.');
	let cursor = c.parentId;
	for (let depth = 0; cursor; depth++) {
		if (cursor === c.id || depth > 50) {
			throw bad('parentId', 'A category cannot sit inside itself or one of its subcategories.');
		}
		const parent = await tx.ticketCategory.findUnique({
			where: { id: cursor },
			select: { parentId: true }
		});
		if (!parent) throw bad('parentId', 'Choose a valid parent category.');
		cursor = parent.parentId;
	}
	const clash = await tx.ticketCategory.findFirst({
		where: {
			parentId: c.parentId,
			name: { equals: c.name, mode: 'insensitive' },
			...notSelf(c.id)
		},
		select: { id: true }
	});
	if (clash) throw taken('name', 'There is already a category with this name here.');
}

async function keyInUse(tx: Tx, key: string): Promise<boolean> {
	const [row] = await tx.$queryRaw<{ used: boolean }[]>`
		SELECT EXISTS (SELECT 1 FROM "Ticket" WHERE jsonb_exists("customFields", ${key})) AS used`;
	return row?.used ?? false;
}

/** A free key, existing types, and no change of key or kind once tickets hold values. */
export async function checkField(
	tx: Tx,
	f: { key: string; kind: string; typeIds: string[] },
	id?: string
): Promise<void> {
	if (id) {
		const existing = await tx.customField.findUnique({
			where: { id },
			select: { key: true, kind: true }
		});
		if (!existing) throw notFound('That item no longer exists.');
		const keyChanged = existing.key !== f.key;
		if ((keyChanged || existing.kind !== f.kind) && (await keyInUse(tx, existing.key))) {
			throw keyChanged
				? bad('key', 'Tickets already hold values under this key, so it cannot change.')
				: bad('kind', 'Tickets already hold values for this field, so its kind cannot change.');
		}
	}
	const clash = await tx.customField.findFirst({
		where: { key: f.key, ...notSelf(id) },
		select: { id: true }
	});
	if (clash) throw taken('key', 'A field with this key already exists.');
	const types = await tx.ticketType.count({ where: { id: { in: f.typeIds } } });
	if (types !== f.typeIds.length) throw bad('typeIds', 'Some chosen ticket types do not exist.');
}

export async function categoryInUse(tx: Tx, id: string): Promise<boolean> {
	const row = await tx.ticketCategory.findUnique({
		where: { id },
		select: { _count: { select: { tickets: true, children: true } } }
	});
	if (!row) throw notFound('That item no longer exists.');
	return row._count.tickets > 0 || row._count.children > 0;
}

export async function fieldInUse(tx: Tx, id: string): Promise<boolean> {
	const row = await tx.customField.findUnique({ where: { id }, select: { key: true } });
	if (!row) throw notFound('That item no longer exists.');
	return keyInUse(tx, row.key);
}

/**
 * A deleted type leaves the fields limited to it: a field limited to that type alone would
 * otherwise apply to every type (empty list), so it is deactivated instead.
 */
export async function unlinkType(tx: Tx, actor: Actor, typeId: string): Promise<void> {
	const fields = await tx.customField.findMany({
		where: { typeIds: { has: typeId } },
		select: { id: true, typeIds: true }
	});
	for (const f of fields) {
		const typeIds = f.typeIds.filter((t) => t !== typeId);
		const active = typeIds.length > 0 ? undefined : false;
		await tx.customField.update({ where: { id: f.id }, data: { typeIds, active } });
		if (active === false) {
			await audit(tx, {
				actorId: actor.id,
				action: 'customField.deactivate',
				entityType: 'CustomField',
				entityId: f.id,
				data: { reason: 'Its only ticket type was deleted.' },
				ip: actor.ip
			});
		}
	}
}

export interface CategoryNode {
	id: string;
	name: string;
	parentId: string | null;
	depth: number;
	/** "Hardware › Laptop" */
	path: string;
}

/** Active categories in tree order; an inactive category hides everything below it. */
export function activeCategoryTree(
	rows: { id: string; name: string; parentId: string | null; active: boolean }[]
): CategoryNode[] {
	const children = new Map<string | null, typeof rows>();
	for (const r of rows) {
		const list = children.get(r.parentId) ?? [];
		list.push(r);
		children.set(r.parentId, list);
	}
	const out: CategoryNode[] = [];
	const walk = (parentId: string | null, depth: number, prefix: string) => {
		for (const r of children.get(parentId) ?? []) {
			if (!r.active) continue;
			const path = prefix ? `${prefix} › ${r.name}` : r.name;
			out.push({ id: r.id, name: r.name, parentId: r.parentId, depth, path });
			if (depth < 50) walk(r.id, depth + 1, path);
		}
	};
	walk(null, 0, '');
	return out;
}
