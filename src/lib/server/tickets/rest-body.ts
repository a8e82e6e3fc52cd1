import type { z } from 'zod';
import { AppError, type FieldErrors } from '../errors';

/**
 * Request-side parsing for the REST API: bodies capped before parsing, headers, query strings,
 * and zod issues flattened to `fields` keyed by the names clients send ("requester.email",
 * "tags.2", "limit"). Client input never reaches the database as something PostgreSQL rejects
 * (NUL characters), so bad input is a 400, never a 500.
 */
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_BODY_LABEL = '1 MB';
const MAX_DEPTH = 32;

const invalid = (message: string, fields?: FieldErrors) =>
	new AppError('BAD_REQUEST', message, fields);

const tooLarge = () =>
	new AppError(
		'PAYLOAD_TOO_LARGE',
		`The request body must be at most ${MAX_BODY_LABEL} (${MAX_BODY_BYTES} bytes).`
	);

/** Reads at most `max` bytes (413 past it, whatever Content-Length claims), then parses JSON. */
export async function readJsonBody(request: Request, max = MAX_BODY_BYTES): Promise<unknown> {
	const declared = Number(request.headers.get('content-length') ?? 0);
	if (declared > max) throw tooLarge();
	if (!request.body) throw invalid('Send a JSON object as the request body.');
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > max) {
			await reader.cancel().catch(() => undefined);
			throw tooLarge();
		}
		chunks.push(value);
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		throw invalid('The request body must be UTF-8 text.');
	}
	if (!text.trim()) throw invalid('Send a JSON object as the request body.');
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw invalid('The request body must be valid JSON.');
	}
	checkText(value);
	return value;
}

/** Rejects NUL characters (PostgreSQL text cannot hold them) and absurd nesting. */
export function checkText(value: unknown, path: string[] = [], depth = 0): void {
	if (depth > MAX_DEPTH) throw invalid('The request body is nested too deeply.');
	const where = () => path.join('.') || '_body';
	if (typeof value === 'string') {
		if (value.includes('\u0000')) {
			throw invalid('Some fields are not valid.', {
				[where()]: ['Text may not contain NUL characters.']
			});
		}
		return;
	}
	if (Array.isArray(value)) {
		value.forEach((v, i) => checkText(v, [...path, String(i)], depth + 1));
		return;
	}
	if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			checkText(k, path, depth + 1);
			checkText(v, [...path, k], depth + 1);
		}
	}
}

/** zod issues → `{ "requester.email": [...] }`; unknown keys are named one by one. */
export function issuesToFields(issues: z.core.$ZodIssue[], flat = false): FieldErrors {
	const fields: FieldErrors = {};
	const add = (key: string, message: string) => {
		const list = (fields[key] ??= []);
		if (!list.includes(message)) list.push(message);
	};
	for (const issue of issues) {
		const prefix = (flat ? issue.path.slice(0, 1) : issue.path).map(String).join('.');
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys) add(prefix ? `${prefix}.${key}` : key, 'Unknown field.');
		} else if (issue.code === 'invalid_type' && issue.path.length === 0) {
			add('_body', 'Send a JSON object.');
		} else {
			add(prefix || '_body', issue.message);
		}
	}
	return fields;
}

/** Parses with a REST schema; failures are 400 with per-field messages (`flat`: per parameter). */
export function parseRest<S extends z.ZodType>(
	schema: S,
	data: unknown,
	flat = false
): z.output<S> {
	const result = schema.safeParse(data);
	if (result.success) return result.data;
	throw invalid('Some fields are not valid.', issuesToFields(result.error.issues, flat));
}

/**
 * A query string as an object: list parameters (`status=new,open&status=pending`) become arrays,
 * the others must appear once.
 */
export function queryObject(
	params: URLSearchParams,
	lists: readonly string[]
): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	const fields: FieldErrors = {};
	for (const key of new Set(params.keys())) {
		const values = params.getAll(key);
		for (const v of values) checkText(v, [key]);
		if (lists.includes(key)) {
			out[key] = values
				.flatMap((v) => v.split(','))
				.map((v) => v.trim())
				.filter(Boolean);
		} else if (values.length > 1) {
			fields[key] = ['Give this parameter once.'];
		} else {
			out[key] = values[0]!;
		}
	}
	if (Object.keys(fields).length) throw invalid('Some parameters are not valid.', fields);
	return out;
}

/** `Idempotency-Key`: 1–200 printable ASCII characters, or absent. */
export function idempotencyKeyOf(headers: Headers): string | undefined {
	const key = headers.get('idempotency-key');
	if (key === null) return undefined;
	if (!/^[\x21-\x7e]([\x20-\x7e]{0,198}[\x21-\x7e])?$/.test(key)) {
		throw invalid('The Idempotency-Key header must be 1–200 printable characters.', {
			'Idempotency-Key': ['Use 1–200 printable ASCII characters (a UUID is ideal).']
		});
	}
	return key;
}

/** `If-Match: "3"` (or W/"3", or 3) → 3; `*` or absent → undefined. */
export function ifMatchVersion(headers: Headers): number | undefined {
	const raw = headers.get('if-match');
	if (raw === null || raw.trim() === '*') return undefined;
	const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
	const n = m ? Number(m[1]) : NaN;
	if (!Number.isInteger(n) || n < 1) {
		throw invalid('The If-Match header must be the ticket version, like "3".', {
			'If-Match': ['Send the version you read, like "3" (the ETag of the ticket).']
		});
	}
	return n;
}

export const etag = (version: number) => `"${version}"`;
