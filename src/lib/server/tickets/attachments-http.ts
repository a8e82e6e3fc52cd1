import { json } from '@sveltejs/kit';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { pgPool } from '../db/pool';
import { AppError } from '../errors';
import { getUploadLimitBytes } from '../settings/uploads';
import { storeUpload, type OpenedAttachment, type UploadOwner } from './attachments';
import { servedType, toWebStream } from './attachments-store';

/**
 * The HTTP side of attachments, shared by the upload and download endpoints. An upload is the
 * raw file as the request body, its name in `X-Filename` (URI-encoded). Requiring that header
 * also makes a cross-site upload need a CORS preflight, which this app never grants.
 */
function filenameOf(request: Request): string {
	const header = request.headers.get('x-filename');
	if (!header) {
		const msg = 'Send the file name in the X-Filename header.';
		throw new AppError('BAD_REQUEST', msg, { filename: [msg] });
	}
	try {
		return decodeURIComponent(header);
	} catch {
		return header;
	}
}

function declaredSizeOf(request: Request): number | null {
	const raw = request.headers.get('content-length');
	const n = raw === null ? NaN : Number(raw);
	return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Stores the request's body and answers 201 with the new upload. */
export async function uploadResponse(request: Request, owner: UploadOwner): Promise<Response> {
	const filename = filenameOf(request);
	const limit = await getUploadLimitBytes();
	const stored = await storeUpload(
		owner,
		request.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
		{
			filename,
			declaredType: request.headers.get('content-type'),
			declaredSize: declaredSizeOf(request)
		},
		limit
	);
	return json(stored, { status: 201, headers: { 'cache-control': 'no-store' } });
}

/** RFC 6266 / 5987: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(filename: string): string {
	const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	const exact = encodeURIComponent(filename).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/**
 * A download: always as an attachment, with the type sniffed at upload, never sniffed again by
 * the browser, sandboxed if opened anyway, and revalidated by its hash.
 */
export function downloadResponse(
	file: OpenedAttachment,
	request: Request,
	extra: Record<string, string> = {}
): Response {
	const etag = `"${file.sha256}"`;
	const headers: Record<string, string> = {
		etag,
		'cache-control': 'private, no-cache',
		'x-content-type-options': 'nosniff',
		'content-security-policy': "default-src 'none'; sandbox",
		'cross-origin-resource-policy': 'same-origin',
		...extra
	};
	if (request.headers.get('if-none-match') === etag) {
		file.stream.destroy();
		return new Response(null, { status: 304, headers });
	}
	return new Response(toWebStream(file.stream), {
		headers: {
			...headers,
			'content-type': servedType(file.contentType),
			'content-length': String(file.size),
			'content-disposition': contentDisposition(file.filename)
		}
	});
}

/** Headers for files reached by a private link (the link must not leak). */
export const PRIVATE_LINK_HEADERS = {
	'referrer-policy': 'no-referrer',
	'x-robots-tag': 'noindex, nofollow'
};

// ---- Anonymous uploads: per-IP limits, counted in PostgreSQL -------------------------------------

/** Uploads per 10 minutes per IP through /submit and private links. */
export const ANONYMOUS_UPLOADS_PER_10_MIN = 30;

const holder = globalThis as unknown as { __itsmUploadLimiter?: RateLimiterPostgres };

function limiter(): RateLimiterPostgres {
	holder.__itsmUploadLimiter ??= new RateLimiterPostgres({
		storeClient: pgPool(),
		storeType: 'pool',
		tableName: 'RateLimit',
		tableCreated: true,
		keyPrefix: 'upload',
		points: ANONYMOUS_UPLOADS_PER_10_MIN,
		duration: 600
	});
	return holder.__itsmUploadLimiter;
}

/** Counts `files` anonymous uploads from `ip`; TOO_MANY_REQUESTS past the limit. */
export async function consumeAnonymousUpload(ip: string, files = 1): Promise<void> {
	try {
		await limiter().consume(ip, files);
	} catch (res) {
		if (!(res instanceof RateLimiterRes)) throw res;
		const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
		throw new AppError(
			'TOO_MANY_REQUESTS',
			`Too many uploads from your network. Try again in ${Math.ceil(seconds / 60)} minutes.`,
			undefined,
			seconds
		);
	}
}
