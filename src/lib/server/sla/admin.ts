import { audit } from '../audit';
import { db } from '../db/client';
import { AppError, notFound, type FieldErrors } from '../errors';
import type { Prisma } from '../db/generated/client';
import type { Actor } from '../identity/users';
import { parseFields, policySchema, type PolicyInput } from './admin-schemas';

export { createCalendar, deleteCalendar, listCalendars, updateCalendar } from './admin-calendars';
export { previewPolicy } from './admin-preview';

/**
 * SLA policies and their escalation levels. There is always exactly one default policy (it
 * catches what no conditional policy matches): making one default unsets the other, and the
 * default can be neither deleted nor deactivated. Every change is one transaction with its
 * audit row.
 */
type Tx = Prisma.TransactionClient;

const policySelect = {
	id: true,
	name: true,
	description: true,
	position: true,
	isDefault: true,
	active: true,
	calendarId: true,
	calendar: { select: { name: true } },
	conditions: true,
	targets: true,
	warnPercent: true,
	updatedAt: true,
	escalations: {
		orderBy: { position: 'asc' },
		select: { id: true, metric: true, percent: true, afterBreachMinutes: true, actions: true }
	}
} satisfies Prisma.SlaPolicySelect;

const policyOrder = [{ isDefault: 'asc' }, { position: 'asc' }, { name: 'asc' }] as const;

/** Policies in matching order (conditional ones by position, the default last). */
export function listPolicies() {
	return db().slaPolicy.findMany({ select: policySelect, orderBy: [...policyOrder] });
}
export type PolicyRow = Awaited<ReturnType<typeof listPolicies>>[number];

/** The names and ids the policy editor offers. */
export async function policyOptions() {
	const [calendars, types, groups, categories, departments] = await Promise.all([
		db().businessCalendar.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
		db().ticketType.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
		db().group.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
		db().ticketCategory.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
		db().user.findMany({
			where: { department: { not: null } },
			distinct: ['department'],
			select: { department: true },
			orderBy: { department: 'asc' },
			take: 500
		})
	]);
	return {
		calendars,
		types,
		groups,
		categories,
		departments: departments.map((d) => d.department).filter((d): d is string => !!d)
	};
}

/** Every id a policy names must exist: reported beside the field that names it. */
async function checkRefs(tx: Tx, p: PolicyInput) {
	const fields: FieldErrors = {};
	const missing = async (
		table: 'ticketType' | 'group' | 'ticketCategory',
		list: string[],
		field: string,
		what: string
	) => {
		if (!list.length) return;
		const where = { id: { in: list } };
		const found =
			table === 'ticketType'
				? await tx.ticketType.count({ where })
				: table === 'group'
					? await tx.group.count({ where })
					: await tx.ticketCategory.count({ where });
		if (found < new Set(list).size) fields[field] = [`Some of these ${what} no longer exist.`];
	};
	if (!(await tx.businessCalendar.count({ where: { id: p.calendarId } }))) {
		fields.calendarId = ['That calendar no longer exists.'];
	}
	await missing('ticketType', p.conditions.typeIds, 'conditions.typeIds', 'types');
	await missing('group', p.conditions.groupIds, 'conditions.groupIds', 'groups');
	await missing('ticketCategory', p.conditions.categoryIds, 'conditions.categoryIds', 'categories');
	for (const [i, e] of p.escalations.entries()) {
		const g = e.actions.assignGroupId;
		if (g && !(await tx.group.count({ where: { id: g } }))) {
			fields[`escalations.${i}.actions`] = ['The group to assign no longer exists.'];
		}
	}
	if (Object.keys(fields).length) {
		throw new AppError('BAD_REQUEST', Object.values(fields)[0]?.[0] ?? 'Check the fields.', fields);
	}
}

const actionsJson = (a: PolicyInput['escalations'][number]['actions']) => {
	const out: Record<string, unknown> = {};
	if (a.notify.length) out.notify = [...new Set(a.notify)];
	if (a.setPriority) out.setPriority = a.setPriority;
	if (a.raisePriority) out.raisePriority = true;
	if (a.assignGroupId) out.assignGroupId = a.assignGroupId;
	return out as Prisma.InputJsonValue;
};

/** Replaces a policy's levels: kept ids are updated (so what fired stays fired), the rest go. */
async function writeLevels(tx: Tx, policyId: string, levels: PolicyInput['escalations']) {
	const keep = levels.map((l) => l.id).filter((id): id is string => !!id);
	await tx.slaEscalation.deleteMany({ where: { policyId, id: { notIn: keep } } });
	for (const [position, l] of levels.entries()) {
		const data = {
			metric: l.metric,
			percent: l.percent ?? null,
			afterBreachMinutes: l.afterBreachMinutes ?? null,
			actions: actionsJson(l.actions),
			position
		};
		const updated = l.id
			? await tx.slaEscalation.updateMany({ where: { id: l.id, policyId }, data })
			: { count: 0 };
		if (!updated.count) await tx.slaEscalation.create({ data: { ...data, policyId } });
	}
}

function policyData(p: PolicyInput) {
	return {
		name: p.name,
		description: p.description,
		calendarId: p.calendarId,
		isDefault: p.isDefault,
		active: p.isDefault ? true : p.active,
		// The default catches everything: its conditions would mean nothing.
		conditions: (p.isDefault
			? {}
			: Object.fromEntries(
					Object.entries(p.conditions).filter(([, v]) => v.length)
				)) as Prisma.InputJsonValue,
		targets: p.targets as Prisma.InputJsonValue,
		warnPercent: p.warnPercent
	};
}

async function write(
	actor: Actor,
	verb: string,
	fn: (tx: Tx) => Promise<{ id: string; name: string }>
) {
	try {
		const id = await db().$transaction(async (tx) => {
			const row = await fn(tx);
			await audit(tx, {
				actorId: actor.id,
				action: `slaPolicy.${verb}`,
				entityType: 'SlaPolicy',
				entityId: row.id,
				data: { name: row.name },
				ip: actor.ip
			});
			return row.id;
		});
		return db().slaPolicy.findUnique({ where: { id }, select: policySelect });
	} catch (err) {
		const code = (err as { code?: string }).code;
		if (code === 'P2025') throw notFound('That policy no longer exists.');
		if (code === 'P2002') {
			const message = 'A policy with this name already exists.';
			throw new AppError('CONFLICT', message, { name: [message] });
		}
		throw err;
	}
}

const unsetOtherDefaults = (tx: Tx, id: string) =>
	tx.slaPolicy.updateMany({
		where: { isDefault: true, id: { not: id } },
		data: { isDefault: false }
	});

export function createPolicy(actor: Actor, input: unknown) {
	const p = parseFields(policySchema, input, 'policy');
	return write(actor, 'create', async (tx) => {
		await checkRefs(tx, p);
		const isDefault = p.isDefault;
		const last = await tx.slaPolicy.aggregate({ _max: { position: true } });
		const row = await tx.slaPolicy.create({
			data: { ...policyData({ ...p, isDefault }), position: (last._max.position ?? -1) + 1 },
			select: { id: true, name: true }
		});
		if (isDefault) await unsetOtherDefaults(tx, row.id);
		await writeLevels(tx, row.id, p.escalations);
		return row;
	});
}

export function updatePolicy(actor: Actor, id: string, input: unknown) {
	const p = parseFields(policySchema, input, 'policy');
	return write(actor, 'update', async (tx) => {
		const before = await tx.slaPolicy.findUnique({ where: { id }, select: { isDefault: true } });
		if (!before) throw notFound('That policy no longer exists.');
		if (before.isDefault && !p.isDefault) {
			const message = 'This is the default policy: make another policy the default instead.';
			throw new AppError('BAD_REQUEST', message, { isDefault: [message] });
		}
		if (before.isDefault && !p.active) {
			const message = 'The default policy cannot be deactivated.';
			throw new AppError('BAD_REQUEST', message, { active: [message] });
		}
		await checkRefs(tx, p);
		const row = await tx.slaPolicy.update({
			where: { id },
			data: policyData(p),
			select: { id: true, name: true }
		});
		if (p.isDefault) await unsetOtherDefaults(tx, id);
		await writeLevels(tx, id, p.escalations);
		return row;
	});
}

export function makeDefaultPolicy(actor: Actor, id: string) {
	return write(actor, 'makeDefault', async (tx) => {
		const row = await tx.slaPolicy.update({
			where: { id },
			data: { isDefault: true, active: true, conditions: {} },
			select: { id: true, name: true }
		});
		await unsetOtherDefaults(tx, id);
		return row;
	});
}

export function setPolicyActive(actor: Actor, id: string, active: boolean) {
	return write(actor, active ? 'activate' : 'deactivate', async (tx) => {
		const p = await tx.slaPolicy.findUnique({ where: { id }, select: { isDefault: true } });
		if (!p) throw notFound('That policy no longer exists.');
		if (p.isDefault && !active) {
			throw new AppError('BAD_REQUEST', 'The default policy cannot be deactivated.');
		}
		return tx.slaPolicy.update({
			where: { id },
			data: { active },
			select: { id: true, name: true }
		});
	});
}

/** Tickets keep their due dates; they take another policy at their next change. */
export async function deletePolicy(actor: Actor, id: string) {
	await write(actor, 'delete', async (tx) => {
		const p = await tx.slaPolicy.findUnique({
			where: { id },
			select: { id: true, name: true, isDefault: true }
		});
		if (!p) throw notFound('That policy no longer exists.');
		if (p.isDefault) {
			throw new AppError(
				'BAD_REQUEST',
				'The default policy cannot be deleted: make another policy the default first.'
			);
		}
		await tx.slaPolicy.delete({ where: { id } });
		return p;
	});
	return { id };
}

/** Sets the matching order of the conditional policies to the order of `ids`. */
export async function reorderPolicies(actor: Actor, ids: string[]) {
	if (new Set(ids).size !== ids.length) {
		throw new AppError('BAD_REQUEST', 'Each policy may appear only once.');
	}
	await db().$transaction(async (tx) => {
		const found = await tx.slaPolicy.count({ where: { id: { in: ids } } });
		if (found !== ids.length) throw notFound('Some of these policies no longer exist.');
		for (const [position, id] of ids.entries()) {
			await tx.slaPolicy.update({ where: { id }, data: { position }, select: { id: true } });
		}
		await audit(tx, {
			actorId: actor.id,
			action: 'slaPolicy.reorder',
			entityType: 'SlaPolicy',
			data: { ids },
			ip: actor.ip
		});
	});
	return listPolicies();
}
