import { db } from '../db/client';
import { audit } from '../audit';
import { AppError, notFound } from '../errors';
import type { Prisma } from '../db/generated/client';
import type { Actor } from '../identity/users';
import {
	customFieldSchema,
	customFieldUpdateSchema,
	reorderSchema,
	setActiveSchema,
	ticketCategorySchema,
	ticketCategoryUpdateSchema,
	ticketTypeSchema,
	ticketTypeUpdateSchema,
	type ConfigEntity
} from './config-schemas';
import {
	activeCategoryTree,
	categorySelect,
	categoryView,
	fieldSelect,
	ordered,
	typeSelect,
	typeView,
	categoryInUse,
	checkCategory,
	checkField,
	checkTypeName,
	fieldInUse,
	unlinkType
} from './config-rules';
import type { z } from 'zod';

/**
 * Admin-defined ticket configuration: types, a category tree and custom fields. Every change
 * writes its audit row in the same transaction; what tickets already use is deactivated rather
 * than deleted, so their history keeps its meaning.
 */
type Tx = Prisma.TransactionClient;

const ENTITY_TYPE: Record<ConfigEntity, string> = {
	type: 'TicketType',
	category: 'TicketCategory',
	field: 'CustomField'
};
const ACTION: Record<ConfigEntity, string> = {
	type: 'ticketType',
	category: 'ticketCategory',
	field: 'customField'
};

/** What the audit row keeps of a changed item. */
function summary(row: object): Prisma.InputJsonValue {
	const r = row as Record<string, unknown>;
	const out: Record<string, string | boolean | null> = {};
	for (const k of ['name', 'key', 'kind', 'parentId', 'active'] as const) {
		const v = r[k];
		if (typeof v === 'string' || typeof v === 'boolean' || v === null) out[k] = v;
	}
	return out;
}

async function change<T>(
	actor: Actor,
	entity: ConfigEntity,
	verb: string | (() => string),
	fn: (tx: Tx) => Promise<T & { id: string }>
): Promise<T & { id: string }> {
	try {
		return await db().$transaction(async (tx) => {
			const row = await fn(tx);
			await audit(tx, {
				actorId: actor.id,
				action: `${ACTION[entity]}.${typeof verb === 'string' ? verb : verb()}`,
				entityType: ENTITY_TYPE[entity],
				entityId: row.id,
				data: summary(row),
				ip: actor.ip
			});
			return row;
		});
	} catch (err) {
		const code = (err as { code?: string }).code;
		if (code === 'P2025') throw notFound('That item no longer exists.');
		if (code === 'P2002') {
			const message = 'That name is already taken.';
			throw new AppError('CONFLICT', message, {
				[entity === 'field' ? 'key' : 'name']: [message]
			});
		}
		throw err;
	}
}

// ---- Lists ------------------------------------------------------------------------------------

/** Everything, active and inactive, with how many tickets use each (the admin page). */
export async function listTicketConfig() {
	const [types, categories, fields] = await Promise.all([
		db().ticketType.findMany({ select: typeSelect, orderBy: ordered }),
		db().ticketCategory.findMany({ select: categorySelect, orderBy: ordered }),
		db().customField.findMany({
			select: fieldSelect,
			orderBy: [{ position: 'asc' }, { key: 'asc' }]
		})
	]);
	return {
		types: types.map(typeView),
		categories: categories.map(categoryView),
		fields
	};
}

/** What ticket forms offer: active types, active categories (tree order) and active fields. */
export async function activeConfig(opts: { publicOnly?: boolean } = {}) {
	const [types, categories, fields] = await Promise.all([
		db().ticketType.findMany({
			where: { active: true },
			select: { id: true, name: true, description: true },
			orderBy: ordered
		}),
		db().ticketCategory.findMany({
			select: { id: true, name: true, parentId: true, active: true },
			orderBy: ordered
		}),
		db().customField.findMany({
			where: { active: true, ...(opts.publicOnly ? { public: true } : {}) },
			select: fieldSelect,
			orderBy: [{ position: 'asc' }, { label: 'asc' }]
		})
	]);
	return { types, categories: activeCategoryTree(categories), fields };
}

// ---- Types ------------------------------------------------------------------------------------

export async function createType(actor: Actor, input: z.input<typeof ticketTypeSchema>) {
	const data = ticketTypeSchema.parse(input);
	return typeView(
		await change(actor, 'type', 'create', async (tx) => {
			await checkTypeName(tx, data.name);
			return tx.ticketType.create({ data, select: typeSelect });
		})
	);
}

export async function updateType(actor: Actor, input: z.input<typeof ticketTypeUpdateSchema>) {
	const { id, ...data } = ticketTypeUpdateSchema.parse(input);
	return typeView(
		await change(actor, 'type', 'update', async (tx) => {
			await checkTypeName(tx, data.name, id);
			return tx.ticketType.update({ where: { id }, data, select: typeSelect });
		})
	);
}

// ---- Categories -------------------------------------------------------------------------------

export async function createCategory(actor: Actor, input: z.input<typeof ticketCategorySchema>) {
	const data = ticketCategorySchema.parse(input);
	return categoryView(
		await change(actor, 'category', 'create', async (tx) => {
			await checkCategory(tx, { name: data.name, parentId: data.parentId ?? null });
			return tx.ticketCategory.create({
				data: { ...data, parentId: data.parentId ?? null },
				select: categorySelect
			});
		})
	);
}

export async function updateCategory(
	actor: Actor,
	input: z.input<typeof ticketCategoryUpdateSchema>
) {
	const { id, ...data } = ticketCategoryUpdateSchema.parse(input);
	return categoryView(
		await change(actor, 'category', 'update', async (tx) => {
			await checkCategory(tx, { id, name: data.name, parentId: data.parentId ?? null });
			return tx.ticketCategory.update({
				where: { id },
				data: { ...data, parentId: data.parentId ?? null },
				select: categorySelect
			});
		})
	);
}

// ---- Custom fields ----------------------------------------------------------------------------

export async function createField(actor: Actor, input: z.input<typeof customFieldSchema>) {
	const data = customFieldSchema.parse(input);
	return change(actor, 'field', 'create', async (tx) => {
		await checkField(tx, data);
		return tx.customField.create({ data, select: fieldSelect });
	});
}

export async function updateField(actor: Actor, input: z.input<typeof customFieldUpdateSchema>) {
	const { id, ...data } = customFieldUpdateSchema.parse(input);
	return change(actor, 'field', 'update', async (tx) => {
		await checkField(tx, data, id);
		return tx.customField.update({ where: { id }, data, select: fieldSelect });
	});
}

// ---- Shared: activate, reorder, delete --------------------------------------------------------

function setActiveRow(tx: Tx, entity: ConfigEntity, id: string, active: boolean) {
	const args = { where: { id }, data: { active }, select: { id: true } };
	if (entity === 'type') return tx.ticketType.update(args);
	if (entity === 'category') return tx.ticketCategory.update(args);
	return tx.customField.update(args);
}

export async function setConfigActive(actor: Actor, input: z.input<typeof setActiveSchema>) {
	const { entity, id, active } = setActiveSchema.parse(input);
	await change(actor, entity, active ? 'activate' : 'deactivate', (tx) =>
		setActiveRow(tx, entity, id, active)
	);
	return { id, active };
}

/** Positions follow the order of `ids` (0, 1, 2…). */
export async function reorderConfig(actor: Actor, input: z.input<typeof reorderSchema>) {
	const { entity, ids } = reorderSchema.parse(input);
	const unique = [...new Set(ids)];
	await db().$transaction(async (tx) => {
		for (const [position, id] of unique.entries()) {
			const args = { where: { id }, data: { position } };
			const found =
				entity === 'type'
					? await tx.ticketType.updateMany(args)
					: entity === 'category'
						? await tx.ticketCategory.updateMany(args)
						: await tx.customField.updateMany(args);
			if (found.count === 0) throw notFound('That item no longer exists.');
		}
		await audit(tx, {
			actorId: actor.id,
			action: `${ACTION[entity]}.reorder`,
			entityType: ENTITY_TYPE[entity],
			data: { ids: unique },
			ip: actor.ip
		});
	});
	return { ok: true };
}

async function inUse(tx: Tx, entity: ConfigEntity, id: string): Promise<boolean> {
	if (entity === 'type') {
		const row = await tx.ticketType.findUnique({ where: { id }, select: typeSelect });
		if (!row) throw notFound('That item no longer exists.');
		return row._count.tickets > 0;
	}
	if (entity === 'category') return categoryInUse(tx, id);
	return fieldInUse(tx, id);
}

/**
 * Deletes an unused type, category or field; one that tickets use (or a category with
 * subcategories) is deactivated instead. Returns what happened.
 */
export async function deleteConfig(actor: Actor, input: { entity: ConfigEntity; id: string }) {
	const { entity, id } = input;
	let deleted = false;
	const verb = () => (deleted ? 'delete' : 'deactivate');
	await change(actor, entity, verb, async (tx) => {
		if (await inUse(tx, entity, id)) {
			return setActiveRow(tx, entity, id, false);
		}
		deleted = true;
		if (entity === 'type') {
			await unlinkType(tx, actor, id);
			return tx.ticketType.delete({ where: { id }, select: { id: true } });
		}
		if (entity === 'category') {
			return tx.ticketCategory.delete({ where: { id }, select: { id: true } });
		}
		return tx.customField.delete({ where: { id }, select: { id: true } });
	});
	return { deleted, deactivated: !deleted };
}
