import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import sanitize from 'sanitize-filename';
import { config } from '../config';
import { AppError } from '../errors';

/**
 * The files behind Attachment rows: `<root>/yyyy/mm/<uuid>`, where root is ATTACHMENTS_DIR or
 * DATA_DIR/attachments. No part of a path comes from the uploader. Uploads stream into
 * `<root>/.tmp` (same file system, so the final rename is atomic) and are hashed as they go.
 */
export function storageRoot(): string {
	return process.env.ATTACHMENTS_DIR || join(config.dataDir, 'attachments');
}

const TMP = '.tmp';
const KEY_RE = /^\d{4}\/\d{2}\/[0-9a-f-]{36}$/;
/** Enough for file-type's magic numbers (zip-based office files read a little deeper). */
const HEAD_BYTES = 64 * 1024;
const MB = 1024 * 1024;

export function newStorageKey(now = new Date()): string {
	const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
	return `${now.getUTCFullYear()}/${mm}/${randomUUID()}`;
}

export function pathOf(storageKey: string): string {
	if (!KEY_RE.test(storageKey)) throw new Error(`Not a storage key: ${storageKey}`);
	return join(storageRoot(), ...storageKey.split('/'));
}

export function formatLimit(bytes: number): string {
	const mb = bytes / MB;
	return Number.isInteger(mb) ? String(mb) : String(Math.round(mb * 10) / 10);
}

export function tooLarge(limitBytes: number): AppError {
	return new AppError(
		'PAYLOAD_TOO_LARGE',
		`The file is larger than the ${formatLimit(limitBytes)} MB limit.`
	);
}

// ---- Filenames --------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and zero-width marks hide a real extension ("invoice\u202Efdp.exe"). */
const INVISIBLE_RE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const MAX_CHARS = 200;
const MAX_BYTES = 255;

/** Cuts to 200 characters and 255 UTF-8 bytes, keeping a short extension. */
function cap(name: string): string {
	const fits = (s: string) =>
		Array.from(s).length <= MAX_CHARS && Buffer.byteLength(s) <= MAX_BYTES;
	if (fits(name)) return name;
	const ext = extname(name);
	const keep = ext.length > 1 && ext.length <= 16 ? ext : '';
	const stem = Array.from(name.slice(0, name.length - keep.length));
	let n = Math.min(stem.length, MAX_CHARS - keep.length);
	while (n > 0 && !fits(stem.slice(0, n).join('') + keep)) n--;
	return stem.slice(0, n).join('').trimEnd() + keep;
}

/**
 * A display name safe to show and to put in Content-Disposition: the last path segment, no
 * control or invisible characters, no characters file systems refuse, single spaces, at most
 * 200 characters with the extension kept; "file" when nothing is left. Never used in a path.
 */
export function cleanFilename(raw: string): string {
	let name = raw.normalize('NFC').replace(CONTROL_RE, '').replace(INVISIBLE_RE, '');
	name = name.split(/[/\\]/).pop() ?? '';
	name = name.replace(/\s+/g, ' ').trim();
	name = sanitize(cap(name), { replacement: '' }).replace(/\s+/g, ' ').trim();
	return name.replace(/^\.+$/, '') || 'file';
}

// ---- Content type -------------------------------------------------------------------------------

const utf8 = () => new TextDecoder('utf-8', { fatal: true });

function looksLikeText(head: Uint8Array, complete: boolean): boolean {
	if (head.includes(0)) return false;
	try {
		utf8().decode(head, { stream: !complete });
		return true;
	} catch {
		return false;
	}
}

/**
 * What the bytes are, not what the browser said: file-type's magic numbers, then text/plain for
 * UTF-8 without NULs, else application/octet-stream.
 */
export async function sniffType(head: Uint8Array, complete: boolean): Promise<string> {
	const found = head.length ? await fileTypeFromBuffer(head) : undefined;
	if (found) return found.mime;
	return looksLikeText(head, complete) ? 'text/plain' : 'application/octet-stream';
}

/** Types a browser would run or render as a document are served as plain bytes. */
const ACTIVE = new Set([
	'text/html',
	'application/xhtml+xml',
	'image/svg+xml',
	'application/xml',
	'text/xml',
	'application/javascript',
	'text/javascript',
	'application/x-shockwave-flash'
]);

/** The Content-Type a download is served with. */
export function servedType(contentType: string): string {
	if (ACTIVE.has(contentType)) return 'application/octet-stream';
	return contentType === 'text/plain' ? 'text/plain; charset=utf-8' : contentType;
}

// ---- Writing --------------------------------------------------------------------------------------

export type Body = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

async function* chunksOf(body: Body): AsyncGenerator<Uint8Array> {
	if (Symbol.asyncIterator in body) {
		yield* body as AsyncIterable<Uint8Array>;
		return;
	}
	const reader = (body as ReadableStream<Uint8Array>).getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			yield value;
		}
	} finally {
		// Stops the sender when we stop early (too large); a no-op once the stream is done.
		await reader.cancel().catch(() => undefined);
	}
}

export interface Written {
	storageKey: string;
	size: number;
	sha256: string;
	contentType: string;
}

/**
 * Streams `body` to its final place, hashing and counting on the way; past `limitBytes` it stops
 * reading, deletes the partial file and throws PAYLOAD_TOO_LARGE. Only the first 64 KiB are kept
 * in memory (to sniff the type).
 */
export async function writeBody(body: Body, limitBytes: number): Promise<Written> {
	const root = storageRoot();
	await mkdir(join(root, TMP), { recursive: true, mode: 0o750 });
	const tmp = join(root, TMP, `${randomUUID()}.part`);
	const hash = createHash('sha256');
	const head: Uint8Array[] = [];
	let headBytes = 0;
	let size = 0;

	async function* counted() {
		for await (const chunk of chunksOf(body)) {
			size += chunk.byteLength;
			if (size > limitBytes) throw tooLarge(limitBytes);
			hash.update(chunk);
			if (headBytes < HEAD_BYTES) {
				head.push(chunk.subarray(0, HEAD_BYTES - headBytes));
				headBytes += Math.min(chunk.byteLength, HEAD_BYTES - headBytes);
			}
			yield chunk;
		}
	}

	try {
		await pipeline(counted(), createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
		if (size === 0)
			throw new AppError('BAD_REQUEST', 'The file is empty.', { file: ['The file is empty.'] });
		const contentType = await sniffType(Buffer.concat(head), size <= HEAD_BYTES);
		const storageKey = newStorageKey();
		const final = pathOf(storageKey);
		await mkdir(join(final, '..'), { recursive: true, mode: 0o750 });
		await rename(tmp, final);
		return { storageKey, size, sha256: hash.digest('hex'), contentType };
	} catch (err) {
		await unlink(tmp).catch(() => undefined);
		throw err;
	}
}

/** Deletes a stored file; a file already gone is fine. */
export async function removeFile(storageKey: string): Promise<void> {
	await unlink(pathOf(storageKey)).catch((err: NodeJS.ErrnoException) => {
		if (err.code !== 'ENOENT') throw err;
	});
}

/** Opens a stored file for reading, or null when it is missing on disk. */
export async function openFile(
	storageKey: string
): Promise<{ stream: ReadStream; size: number } | null> {
	const path = pathOf(storageKey);
	try {
		const info = await stat(path);
		return { stream: createReadStream(path), size: info.size };
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw err;
	}
}

/** Deletes partial uploads a crash left in the temp folder. */
export async function sweepTemp(olderThanMs: number, now = Date.now()): Promise<number> {
	const dir = join(storageRoot(), TMP);
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		return 0;
	}
	let removed = 0;
	for (const name of names) {
		const path = join(dir, name);
		const info = await stat(path).catch(() => null);
		if (info && now - info.mtimeMs > olderThanMs) {
			await unlink(path).catch(() => undefined);
			removed++;
		}
	}
	return removed;
}

/** A web stream of a node stream, for Response bodies. */
export function toWebStream(stream: Readable): ReadableStream<Uint8Array> {
	return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
}
