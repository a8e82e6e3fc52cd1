import { ZodError } from 'zod';
import { db } from '../db/client';
import { AppError, fieldError, type FieldErrors } from '../errors';
import { issuesToFields } from './rest-body';

/**
 * REST names things the way people do — a type or group by name, a person by email — where the
 * domain takes ids. These resolve them (unknown → 400 on the REST field name) and rename the
 * domain's field errors (`typeId` → `type`) so clients see the names they sent.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Matches no row: list filters naming an unknown person find nothing (and reveal nothing). */
export const NOBODY = '00000000-0000-0000-0000-000000000000';

const byName = (ref: string) =>
	UUID.test(ref) ? { id: ref } : { name: { equals: ref, mode: 'insensitive' as const } };

export async function typeIdOf(ref: string, field = 'type'): Promise<string> {
	const row = await db().ticketType.findFirst({
		where: { active: true, ...byName(ref) },
		select: { id: true }
	});
	if (!row) throw fieldError(field, `There is no ticket type “${ref}”.`);
	return row.id;
}

export async function categoryIdOf(ref: string, field = 'category'): Promise<string> {
	const rows = await db().ticketCategory.findMany({
		where: { active: true, ...byName(ref) },
		select: { id: true },
		take: 2
	});
	if (rows.length === 0) throw fieldError(field, `There is no category “${ref}”.`);
	if (rows.length > 1)
		throw fieldError(field, `Several categories are named “${ref}”: use the id.`);
	return rows[0]!.id;
}

export async function groupIdOf(ref: string, field = 'group'): Promise<string> {
	const row = await db().group.findFirst({ where: byName(ref), select: { id: true } });
	if (!row) throw fieldError(field, `There is no group “${ref}”.`);
	return row.id;
}

/** A person by id, email or "me"; null when unknown. */
export async function personIdOf(ref: string, meId: string): Promise<string | null> {
	if (ref.toLowerCase() === 'me') return meId;
	const row = await db().user.findUnique({
		where: UUID.test(ref) ? { id: ref } : { email: ref.toLowerCase() },
		select: { id: true }
	});
	return row?.id ?? null;
}

export async function requirePerson(ref: string, meId: string, field: string): Promise<string> {
	const id = await personIdOf(ref, meId);
	if (!id) throw fieldError(field, `Nobody is registered as “${ref}”.`);
	return id;
}

const DOMAIN_FIELDS: Record<string, string> = {
	typeId: 'type',
	categoryId: 'category',
	groupId: 'group',
	assigneeId: 'assignee',
	requesterId: 'requester',
	ticket: 'number'
};

export function restFieldNames(fields: FieldErrors): FieldErrors {
	const out: FieldErrors = {};
	for (const [key, messages] of Object.entries(fields)) {
		const [head, ...rest] = key.split('.');
		const name = [DOMAIN_FIELDS[head!] ?? head, ...rest].join('.');
		out[name] = [...(out[name] ?? []), ...messages];
	}
	return out;
}

/** Runs a domain call, answering its field errors in REST names. */
export async function inRestTerms<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (err) {
		if (err instanceof AppError && err.fields) {
			throw new AppError(err.code, err.message, restFieldNames(err.fields), err.retryAfterSeconds);
		}
		if (err instanceof ZodError) {
			throw new AppError(
				'BAD_REQUEST',
				'Some fields are not valid.',
				restFieldNames(issuesToFields(err.issues))
			);
		}
		throw err;
	}
}
