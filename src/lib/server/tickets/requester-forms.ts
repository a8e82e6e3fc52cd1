import { z } from 'zod';
import { AppError, httpStatus, type FieldErrors } from '../errors';
import { getUploadLimitBytes } from '../settings/uploads';
import { storeUpload, type UploadOwner } from './attachments';
import { issuesToFields } from './requester';

/**
 * Helpers for the requester pages' form actions (/submit, /t/<token>, the portal): reading
 * custom fields and files back from a form, and turning errors into per-field messages.
 */

/** Reads `cf.<key>` form fields back into custom field values (empty ones left out). */
export function customFieldValues(
	form: FormData,
	fields: { key: string; kind: string }[]
): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const f of fields) {
		const name = `cf.${f.key}`;
		if (f.kind === 'CHECKBOX') {
			if (form.has(name)) values[f.key] = true;
			continue;
		}
		if (f.kind === 'MULTI_SELECT') {
			const all = form.getAll(name).map(String).filter(Boolean);
			if (all.length) values[f.key] = all;
			continue;
		}
		const raw = String(form.get(name) ?? '').trim();
		if (raw) values[f.key] = raw;
	}
	return values;
}

/** Attachment ids uploaded ahead (JavaScript) with their claims (anonymous uploads). */
export function uploadedAttachments(form: FormData, name: string) {
	const ids = form.getAll(name).map(String);
	const claims = form.getAll(`${name}Claims`).map(String);
	return ids.map((id, i) => ({ id, claim: claims[i] ?? '' }));
}

/** The non-empty files a form carries itself (its `files` fields). */
export function formFiles(form: FormData): File[] {
	return form
		.getAll('files')
		.filter((f): f is File => typeof f === 'object' && f !== null && 'stream' in f && f.size > 0);
}

/**
 * Files sent inside the form itself (browsers without JavaScript), stored as pending uploads
 * like the upload endpoints do; anonymous owners get claims to attach them with.
 */
export async function storeFormFiles(form: FormData, owner: UploadOwner) {
	const files = formFiles(form);
	if (!files.length) return [];
	if (files.length > 10) {
		const msg = 'At most 10 attachments at once.';
		throw new AppError('BAD_REQUEST', msg, { attachments: [msg] });
	}
	const limit = await getUploadLimitBytes();
	const stored = [];
	for (const file of files) {
		const s = await storeUpload(
			owner,
			file.stream(),
			{ filename: file.name || 'file', declaredType: file.type, declaredSize: file.size },
			limit
		);
		stored.push({ id: s.id, claim: s.claim ?? '' });
	}
	return stored;
}

/**
 * What a form should show for an error from the domain or a procedure (whose cause is the
 * domain's AppError or the input's ZodError): status, message and per-field messages. Null for
 * anything unexpected, which the caller rethrows.
 */
export function formFailure(
	err: unknown
): { status: number; code: string; message: string; fields: FieldErrors } | null {
	const cause = err instanceof AppError ? err : (err as { cause?: unknown } | null)?.cause;
	if (cause instanceof AppError) {
		return {
			status: httpStatus[cause.code],
			code: cause.code,
			message: cause.message,
			fields: cause.fields ?? {}
		};
	}
	if (cause instanceof z.ZodError) {
		const message = 'Some fields need your attention.';
		return { status: 400, code: 'BAD_REQUEST', message, fields: issuesToFields(cause) };
	}
	return null;
}
