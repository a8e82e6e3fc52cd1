import { db } from '../db/client';
import { AppError, type FieldErrors } from '../errors';
import type { CustomFieldKindName } from './config-schemas';

/**
 * Checks and normalises a ticket's custom field values against the admin-defined fields that
 * apply to its type (fields with no types apply to every type). All problems are reported at
 * once, each under `customFields.<key>`.
 */
export interface CustomFieldRule {
	key: string;
	label: string;
	kind: CustomFieldKindName;
	options: string[];
	required: boolean;
}

export interface ValidateOptions {
	typeId: string | null;
	/** Requesters: only public fields may be set (and only they are required). */
	publicOnly?: boolean;
	/** An update: the ticket's current values; the input patches them (null/'' clears a key). */
	previous?: Record<string, unknown>;
}

export const TEXT_MAX = 500;
export const LONG_TEXT_MAX = 10_000;

type Checked = { value: unknown } | { error: string };

function isEmpty(v: unknown): boolean {
	if (v === undefined || v === null) return true;
	if (typeof v === 'string') return v.trim() === '';
	return Array.isArray(v) && v.length === 0;
}

function text(raw: unknown, max: number): Checked {
	if (typeof raw !== 'string') return { error: 'Enter text.' };
	const value = raw.trim();
	if (value.length > max)
		return { error: `Must be at most ${max.toLocaleString('en')} characters.` };
	return { value };
}

function date(raw: unknown): Checked {
	const s = typeof raw === 'string' ? raw.trim() : '';
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m) return { error: 'Enter a date as YYYY-MM-DD.' };
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const at = new Date(Date.UTC(y, mo - 1, d));
	if (at.getUTCFullYear() !== y || at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d) {
		return { error: 'That date does not exist.' };
	}
	return { value: s };
}

function choice(raw: unknown, options: string[]): string | undefined {
	if (typeof raw !== 'string') return undefined;
	const want = raw.trim().toLowerCase();
	return options.find((o) => o.toLowerCase() === want);
}

const TRUE = new Set(['true', 'on', '1', 'yes']);
const FALSE = new Set(['false', 'off', '0', 'no']);

/** One value against its field's kind: the normalised value, or a message for people. */
export function checkValue(field: CustomFieldRule, raw: unknown): Checked {
	switch (field.kind) {
		case 'TEXT':
			return text(raw, TEXT_MAX);
		case 'LONG_TEXT':
			return text(raw, LONG_TEXT_MAX);
		case 'NUMBER': {
			const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
			return Number.isFinite(n) ? { value: n } : { error: 'Enter a number.' };
		}
		case 'DATE':
			return date(raw);
		case 'SELECT': {
			const value = choice(raw, field.options);
			return value !== undefined
				? { value }
				: { error: `Choose one of: ${field.options.join(', ')}.` };
		}
		case 'MULTI_SELECT': {
			const list = Array.isArray(raw) ? raw : [raw];
			const picked = new Set<string>();
			for (const item of list) {
				const value = choice(item, field.options);
				if (value === undefined) {
					return { error: `“${String(item)}” is not one of the options.` };
				}
				picked.add(value);
			}
			return { value: field.options.filter((o) => picked.has(o)) };
		}
		case 'CHECKBOX': {
			if (typeof raw === 'boolean') return { value: raw };
			const s = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
			if (TRUE.has(s)) return { value: true };
			if (FALSE.has(s)) return { value: false };
			return { error: 'Must be checked or unchecked.' };
		}
	}
}

/** The active fields that apply to a ticket of this type. */
export function fieldsFor(typeId: string | null, publicOnly = false): Promise<CustomFieldRule[]> {
	return db().customField.findMany({
		where: {
			active: true,
			...(publicOnly ? { public: true } : {}),
			OR: [{ typeIds: { isEmpty: true } }, ...(typeId ? [{ typeIds: { has: typeId } }] : [])]
		},
		select: { key: true, label: true, kind: true, options: true, required: true },
		orderBy: [{ position: 'asc' }, { key: 'asc' }]
	});
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function validateCustomFields(
	values: unknown,
	opts: ValidateOptions
): Promise<Record<string, unknown>> {
	const input = values ?? {};
	if (typeof input !== 'object' || Array.isArray(input)) {
		throw new AppError('BAD_REQUEST', 'Some fields are not valid.', {
			customFields: ['Custom fields must be an object.']
		});
	}
	const fields = await fieldsFor(opts.typeId, opts.publicOnly);
	const byKey = new Map(fields.map((f) => [f.key, f]));
	const previous = opts.previous ?? {};
	const result: Record<string, unknown> = { ...previous };
	const errors: FieldErrors = {};

	for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
		const field = byKey.get(key);
		if (!field) {
			// A value kept from before (a field since deactivated) may be sent back or cleared.
			if (key in previous && (same(raw, previous[key]) || isEmpty(raw))) {
				if (isEmpty(raw)) delete result[key];
				continue;
			}
			errors[`customFields.${key}`] = ['This field is not available for this ticket.'];
			continue;
		}
		if (isEmpty(raw)) {
			delete result[key];
			continue;
		}
		const checked = checkValue(field, raw);
		if ('error' in checked) errors[`customFields.${key}`] = [checked.error];
		else result[key] = checked.value;
	}

	for (const f of fields) {
		if (!f.required || errors[`customFields.${f.key}`]) continue;
		const v = result[f.key];
		if (isEmpty(v) || (f.kind === 'CHECKBOX' && v !== true)) {
			errors[`customFields.${f.key}`] = [
				f.kind === 'CHECKBOX' ? `${f.label} must be checked.` : `${f.label} is required.`
			];
		}
	}
	if (Object.keys(errors).length) {
		throw new AppError('BAD_REQUEST', 'Some fields are not valid.', errors);
	}
	return result;
}
