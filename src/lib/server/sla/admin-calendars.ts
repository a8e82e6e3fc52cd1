import { audit } from '../audit';
import { db } from '../db/client';
import { AppError, notFound, type FieldErrors } from '../errors';
import type { Prisma } from '../db/generated/client';
import type { Actor } from '../identity/users';
import { nameSchema, parseFields } from './admin-schemas';
import { validateCalendar, type BusinessCalendar } from './calendar';

/** Business calendars of the SLA admin: every change writes its audit row in its transaction. */
type Tx = Prisma.TransactionClient;

const calendarSelect = {
	id: true,
	name: true,
	timeZone: true,
	alwaysOpen: true,
	hours: true,
	holidays: true,
	updatedAt: true,
	policies: { select: { id: true, name: true }, orderBy: { name: 'asc' } }
} satisfies Prisma.BusinessCalendarSelect;

export async function listCalendars() {
	const rows = await db().businessCalendar.findMany({
		select: calendarSelect,
		orderBy: { name: 'asc' }
	});
	return rows.map((r) => ({
		...r,
		hours: r.hours as unknown as BusinessCalendar['hours'],
		holidays: r.holidays as unknown as BusinessCalendar['holidays']
	}));
}
export type CalendarRow = Awaited<ReturnType<typeof listCalendars>>[number];

/** Name and calendar checked together, so every bad field is reported at once. */
function parseCalendar(input: Record<string, unknown>) {
	const fields: FieldErrors = {};
	let name = '';
	let calendar: BusinessCalendar | null = null;
	try {
		name = parseFields(nameSchema, input.name, 'business calendar');
	} catch (err) {
		fields.name = (err as AppError).fields?._form ?? ['Name is required.'];
	}
	try {
		calendar = validateCalendar(input);
	} catch (err) {
		if (!(err instanceof AppError)) throw err;
		Object.assign(fields, err.fields);
	}
	if (!calendar || Object.keys(fields).length) {
		const first = Object.values(fields)[0]?.[0] ?? 'check the fields.';
		throw new AppError('BAD_REQUEST', `The business calendar is not valid: ${first}`, fields);
	}
	return {
		name,
		...calendar,
		hours: calendar.hours as unknown as Prisma.InputJsonValue,
		holidays: calendar.holidays as unknown as Prisma.InputJsonValue
	};
}

async function write<T extends { id: string; name: string }>(
	actor: Actor,
	verb: string,
	fn: (tx: Tx) => Promise<T>
): Promise<T> {
	try {
		return await db().$transaction(async (tx) => {
			const row = await fn(tx);
			await audit(tx, {
				actorId: actor.id,
				action: `slaCalendar.${verb}`,
				entityType: 'BusinessCalendar',
				entityId: row.id,
				data: { name: row.name },
				ip: actor.ip
			});
			return row;
		});
	} catch (err) {
		const code = (err as { code?: string }).code;
		if (code === 'P2025') throw notFound('That calendar no longer exists.');
		if (code === 'P2002') {
			const message = 'A calendar with this name already exists.';
			throw new AppError('CONFLICT', message, { name: [message] });
		}
		throw err;
	}
}

export function createCalendar(actor: Actor, input: Record<string, unknown>) {
	const data = parseCalendar(input);
	return write(actor, 'create', (tx) =>
		tx.businessCalendar.create({ data, select: { id: true, name: true } })
	);
}

export function updateCalendar(actor: Actor, id: string, input: Record<string, unknown>) {
	const data = parseCalendar(input);
	return write(actor, 'update', (tx) =>
		tx.businessCalendar.update({ where: { id }, data, select: { id: true, name: true } })
	);
}

/** Refused while a policy uses the calendar: its tickets' clocks would have no hours. */
export function deleteCalendar(actor: Actor, id: string) {
	return write(actor, 'delete', async (tx) => {
		const cal = await tx.businessCalendar.findUnique({
			where: { id },
			select: { id: true, name: true, policies: { select: { name: true } } }
		});
		if (!cal) throw notFound('That calendar no longer exists.');
		if (cal.policies.length) {
			const names = cal.policies.map((p) => `“${p.name}”`).join(', ');
			throw new AppError(
				'CONFLICT',
				`“${cal.name}” is used by ${names}: give ${cal.policies.length > 1 ? 'those policies' : 'that policy'} another calendar first.`
			);
		}
		await tx.businessCalendar.delete({ where: { id } });
		return { id: cal.id, name: cal.name };
	});
}
