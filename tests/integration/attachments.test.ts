import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import {
	existsSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	statSync,
	utimesSync,
	writeFileSync
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestHandler } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { AppError } from '../../src/lib/server/errors';
import { scopeFor } from '../../src/lib/server/tickets/access';
import {
	attachToEntry,
	deleteStaleUploads,
	listTicketAttachments,
	openAttachment,
	storeUpload
} from '../../src/lib/server/tickets/attachments';
import {
	attachmentClaim,
	checkAttachmentClaim,
	checkSubmitClaim
} from '../../src/lib/server/tickets/attachments-claims';
import {
	ANONYMOUS_UPLOADS_PER_10_MIN,
	consumeAnonymousUpload,
	contentDisposition
} from '../../src/lib/server/tickets/attachments-http';
import {
	cleanFilename,
	pathOf,
	servedType,
	sniffType,
	storageRoot,
	sweepTemp
} from '../../src/lib/server/tickets/attachments-store';
import * as apiUpload from '../../src/routes/api/attachments/+server';
import * as apiDownload from '../../src/routes/api/attachments/[id]/+server';
import * as submitUpload from '../../src/routes/submit/attachments/+server';
import * as linkUpload from '../../src/routes/t/[token]/attachments/+server';
import * as linkDownload from '../../src/routes/t/[token]/attachments/[id]/+server';
import { makeUser, sessionUserOf, uniqueIp, type TestUser } from '../helpers/factories';
import { fakeEvent } from '../helpers/http';

/** The smallest valid PNG (1×1), to check that types come from the bytes. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64'
);
const HTML = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');

let root: string;
beforeAll(() => {
	root = mkdtempSync(join(tmpdir(), 'itsm-attachments-'));
	process.env.ATTACHMENTS_DIR = root;
});
afterAll(() => {
	delete process.env.ATTACHMENTS_DIR;
	rmSync(root, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
	return (readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
		statSync(join(dir, f)).isFile()
	);
}

interface Call {
	url: string;
	method?: string;
	user?: TestUser | null;
	params?: Record<string, string>;
	headers?: Record<string, string>;
	body?: Uint8Array;
}

async function call(handler: RequestHandler, opts: Call): Promise<Response> {
	const { event } = fakeEvent({
		url: `http://localhost${opts.url}`,
		method: opts.method ?? 'GET',
		headers: opts.headers,
		body: opts.body as BodyInit | undefined,
		clientAddress: uniqueIp()
	});
	event.locals.user = opts.user ? sessionUserOf(opts.user) : null;
	Object.assign(event.params, opts.params ?? {});
	return handler(event);
}

function upload(user: TestUser | null, name: string, bytes: Uint8Array, type = 'text/plain') {
	return call(apiUpload.POST, {
		url: '/api/attachments',
		method: 'POST',
		user,
		headers: { 'x-filename': encodeURIComponent(name), 'content-type': type },
		body: bytes
	});
}

function download(user: TestUser | null, id: string, headers?: Record<string, string>) {
	return call(apiDownload.GET, { url: `/api/attachments/${id}`, user, params: { id }, headers });
}

async function uploadedId(user: TestUser, name = 'note.txt', bytes = Buffer.from('hello')) {
	const res = await upload(user, name, bytes);
	expect(res.status).toBe(201);
	return ((await res.json()) as { id: string }).id;
}

function makeTicket(requesterId: string, groupId: string | null = null) {
	return db().ticket.create({
		data: {
			number: randomInt(1_000_000_000, 2_000_000_000),
			subject: 'Printer on fire',
			description: 'It is on fire.',
			descriptionHtml: '<p>It is on fire.</p>',
			source: 'AGENT',
			requesterId,
			groupId,
			accessToken: randomBytes(18).toString('base64url')
		}
	});
}

function makeEntry(ticketId: string, authorId: string, kind: 'REPLY' | 'NOTE') {
	return db().ticketEntry.create({
		data: { ticketId, authorId, kind, body: kind, bodyHtml: `<p>${kind}</p>`, source: 'AGENT' }
	});
}

function attach(ids: string[], target: Parameters<typeof attachToEntry>[2]) {
	return db().$transaction((tx) => attachToEntry(tx, ids, target));
}

async function expectAppError(work: Promise<unknown>, code: string): Promise<AppError> {
	const err = await work.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(AppError);
	expect((err as AppError).code).toBe(code);
	return err as AppError;
}

async function* once(chunk: Uint8Array) {
	yield chunk;
}

async function* endless(chunk: Uint8Array, pulled: { n: number }) {
	for (;;) {
		pulled.n++;
		yield chunk;
	}
}

describe('uploading and downloading', () => {
	it('round-trips the bytes and serves the sniffed type, not the declared one', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const res = await upload(user, 'screenshot.png', PNG, 'text/html');
		expect(res.status).toBe(201);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body).toMatchObject({
			filename: 'screenshot.png',
			size: PNG.length,
			contentType: 'image/png'
		});
		expect(body.claim).toBeUndefined();

		const row = await db().attachment.findUniqueOrThrow({ where: { id: String(body.id) } });
		expect(row).toMatchObject({ uploaderId: user.id, ticketId: null, entryId: null });
		expect(row.storageKey).toMatch(/^\d{4}\/\d{2}\/[0-9a-f-]{36}$/);
		expect(existsSync(join(root, ...row.storageKey.split('/')))).toBe(true);

		const down = await download(user, row.id);
		expect(down.status).toBe(200);
		expect(Buffer.from(await down.arrayBuffer()).equals(PNG)).toBe(true);
		expect(down.headers.get('content-type')).toBe('image/png');
		expect(down.headers.get('content-length')).toBe(String(PNG.length));
		expect(down.headers.get('x-content-type-options')).toBe('nosniff');
		expect(down.headers.get('content-security-policy')).toContain('sandbox');
		expect(down.headers.get('content-disposition')).toBe(
			`attachment; filename="screenshot.png"; filename*=UTF-8''screenshot.png`
		);
		expect(row.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
	});

	it('serves an HTML file as inert text, as a download, never as HTML', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const id = await uploadedId(user, 'page.html', HTML);
		const down = await download(user, id);
		expect(down.status).toBe(200);
		expect(['text/plain; charset=utf-8', 'application/octet-stream']).toContain(
			down.headers.get('content-type')
		);
		expect(down.headers.get('x-content-type-options')).toBe('nosniff');
		expect(down.headers.get('content-disposition')).toMatch(/^attachment;/);
		expect(await down.text()).toBe(HTML.toString());
	});

	it('answers 304 when the browser already holds the same file', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const id = await uploadedId(user);
		const first = await download(user, id);
		const etag = first.headers.get('etag')!;
		await first.arrayBuffer();
		const again = await download(user, id, { 'if-none-match': etag });
		expect(again.status).toBe(304);
		expect(again.body).toBeNull();
	});

	it('refuses an upload without X-Filename, an empty file, anonymous and requester-only callers', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const noName = await call(apiUpload.POST, {
			url: '/api/attachments',
			method: 'POST',
			user,
			body: Buffer.from('x')
		});
		expect(noName.status).toBe(400);
		const empty = await upload(user, 'empty.txt', new Uint8Array(0));
		expect(empty.status).toBe(400);
		expect(((await empty.json()) as { error: { message: string } }).error.message).toBe(
			'The file is empty.'
		);
		expect((await upload(null, 'a.txt', Buffer.from('x'))).status).toBe(401);
		expect(
			(await upload(await makeUser({ role: 'REQUESTER' }), 'a.txt', Buffer.from('x'))).status
		).toBe(403);
		expect(await db().attachment.count({ where: { uploaderId: user.id } })).toBe(0);
	});

	it('a file declared larger than the limit is refused with 413 before it is read', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const before = filesUnder(root).length;
		const res = await call(apiUpload.POST, {
			url: '/api/attachments',
			method: 'POST',
			user,
			headers: { 'x-filename': 'big.bin', 'content-length': String(5 * 1024 ** 3) },
			body: Buffer.from('tiny')
		});
		expect(res.status).toBe(413);
		expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
			/^The file is larger than the \d+ MB limit\.$/
		);
		expect(filesUnder(root).length).toBe(before);
		expect(await db().attachment.count({ where: { uploaderId: user.id } })).toBe(0);
	});

	it('a stream passing the limit stops being read and leaves no file and no row', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const pulled = { n: 0 };
		const before = filesUnder(root).length;
		const err = await expectAppError(
			storeUpload(
				{ userId: user.id },
				endless(new Uint8Array(1024).fill(65), pulled),
				{ filename: 'big.txt' },
				1024 * 1024 + 1
			),
			'PAYLOAD_TOO_LARGE'
		);
		expect(err.message).toBe('The file is larger than the 1 MB limit.');
		expect(pulled.n).toBe(1024 + 1);
		expect(filesUnder(root).length).toBe(before);
		expect(await db().attachment.count({ where: { uploaderId: user.id } })).toBe(0);
	});

	it('also stops a web ReadableStream at the limit and cancels it', async () => {
		let cancelled = false;
		const stream = new ReadableStream<Uint8Array>({
			pull: (c) => c.enqueue(new Uint8Array(4096)),
			cancel: () => {
				cancelled = true;
			}
		});
		await expectAppError(
			storeUpload({ userId: null }, stream, { filename: 'x' }, (3 * 1024 * 1024) / 2),
			'PAYLOAD_TOO_LARGE'
		);
		expect(cancelled).toBe(true);
	});

	it('a file of exactly the limit is accepted', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const stored = await storeUpload(
			{ userId: user.id },
			(async function* () {
				yield new Uint8Array(600).fill(0x41);
				yield new Uint8Array(424).fill(0x42);
			})(),
			{ filename: 'exact.txt', declaredSize: 1024 },
			1024
		);
		expect(stored).toMatchObject({ size: 1024, contentType: 'text/plain', filename: 'exact.txt' });
	});
});

describe('file names and types', () => {
	it('keeps only a safe display name: no path, control or invisible characters', () => {
		expect(cleanFilename('../../etc/passwd')).toBe('passwd');
		expect(cleanFilename('..\\..\\windows\\win.ini')).toBe('win.ini');
		expect(cleanFilename('re\u0000port\n\t2024.pdf')).toBe('report2024.pdf');
		expect(cleanFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
		expect(cleanFilename('  my    holiday   photo .jpg ')).toBe('my holiday photo .jpg');
		expect(cleanFilename('what?<is>:this*|".txt')).toBe('whatisthis.txt');
		expect(cleanFilename('')).toBe('file');
		expect(cleanFilename('..')).toBe('file');
		expect(cleanFilename('...')).toBe('file');
		expect(cleanFilename('/')).toBe('file');
		expect(cleanFilename('résumé.pdf')).toBe('résumé.pdf');
	});

	it('caps long names at 200 characters and keeps the extension', () => {
		const long = cleanFilename(`${'a'.repeat(300)}.pdf`);
		expect(long).toHaveLength(200);
		expect(long.endsWith('.pdf')).toBe(true);
		const wide = cleanFilename(`${'日'.repeat(150)}.docx`);
		expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(255);
		expect(wide.endsWith('.docx')).toBe(true);
	});

	it('stores an uploaded ../../etc/passwd under a generated key, named "passwd"', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const id = await uploadedId(user, '../../etc/passwd', Buffer.from('root:x:0:0'));
		const row = await db().attachment.findUniqueOrThrow({ where: { id } });
		expect(row.filename).toBe('passwd');
		expect(pathOf(row.storageKey).startsWith(storageRoot())).toBe(true);
		expect(() => pathOf('../../etc/passwd')).toThrow();
	});

	it('sniffs from the bytes: magic numbers, UTF-8 text, else binary', async () => {
		expect(await sniffType(PNG, true)).toBe('image/png');
		expect(await sniffType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), true)).toBe('application/pdf');
		expect(await sniffType(Buffer.from('plain words, ünïcödé'), true)).toBe('text/plain');
		expect(await sniffType(Buffer.from([0x61, 0x00, 0x62]), true)).toBe('application/octet-stream');
		expect(await sniffType(Buffer.from([0x41, 0xc3, 0x28, 0x42]), true)).toBe(
			'application/octet-stream'
		);
		// A multi-byte character cut at the end of the sample is still text.
		expect(await sniffType(Buffer.from('ab€').subarray(0, 4), false)).toBe('text/plain');
	});

	it('serves active content types as plain bytes', () => {
		expect(servedType('image/svg+xml')).toBe('application/octet-stream');
		expect(servedType('text/html')).toBe('application/octet-stream');
		expect(servedType('text/plain')).toBe('text/plain; charset=utf-8');
		expect(servedType('application/pdf')).toBe('application/pdf');
	});

	it('names the download with an ASCII fallback and the exact UTF-8 name', () => {
		expect(contentDisposition('résumé "final" (1).pdf')).toBe(
			`attachment; filename="r_sum_ _final_ (1).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22%20%281%29.pdf`
		);
	});
});

describe('who may download', () => {
	let requester: TestUser;
	let other: TestUser;
	let agent: TestUser;
	let outsider: TestUser;
	let ticket: Awaited<ReturnType<typeof makeTicket>>;
	const ids = { ticket: '', reply: '', note: '', foreign: '' };

	beforeAll(async () => {
		[requester, other, agent, outsider] = await Promise.all([
			makeUser({ role: 'END_USER' }),
			makeUser({ role: 'END_USER' }),
			makeUser({ role: 'AGENT' }),
			makeUser({ role: 'AGENT' })
		]);
		const group = await db().group.create({ data: { name: `Attach ${randomUUID().slice(0, 8)}` } });
		ticket = await makeTicket(requester.id, group.id);
		await db().groupMember.create({ data: { groupId: group.id, userId: agent.id } });
		const reply = await makeEntry(ticket.id, requester.id, 'REPLY');
		const note = await makeEntry(ticket.id, agent.id, 'NOTE');
		ids.ticket = await uploadedId(requester, 'ticket.txt');
		ids.reply = await uploadedId(requester, 'reply.txt');
		ids.note = await uploadedId(agent, 'note.txt', Buffer.from('secret note file'));
		await attach([ids.ticket], { ticketId: ticket.id, entryId: null, uploaderId: requester.id });
		await attach([ids.reply], { ticketId: ticket.id, entryId: reply.id, uploaderId: requester.id });
		await attach([ids.note], { ticketId: ticket.id, entryId: note.id, uploaderId: agent.id });
		const otherTicket = await makeTicket(other.id, group.id);
		ids.foreign = await uploadedId(other, 'other.txt');
		await attach([ids.foreign], { ticketId: otherTicket.id, entryId: null, uploaderId: other.id });
	});

	it("the requester downloads their ticket's and replies' files, not an internal note's", async () => {
		expect((await download(requester, ids.ticket)).status).toBe(200);
		expect((await download(requester, ids.reply)).status).toBe(200);
		const note = await download(requester, ids.note);
		expect(note.status).toBe(404);
		expect(await note.json()).toEqual({
			error: { code: 'NOT_FOUND', message: 'Attachment not found.' }
		});
	});

	it("an end user cannot download a file of another's ticket (404, like a missing one)", async () => {
		const theirs = await download(other, ids.ticket);
		const missing = await download(other, randomUUID());
		expect(theirs.status).toBe(404);
		expect(await theirs.json()).toEqual(await missing.json());
		expect((await download(other, 'not-a-uuid')).status).toBe(404);
	});

	it("staff who see the ticket download notes' files; staff who don't, nothing", async () => {
		const res = await download(agent, ids.note);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('secret note file');
		expect((await download(outsider, ids.ticket)).status).toBe(404);
		expect((await download(outsider, ids.note)).status).toBe(404);
	});

	it('the ticket page lists files, notes only for staff', async () => {
		const forRequester = await listTicketAttachments(await scopeFor(requester), ticket.id);
		expect(forRequester.map((a) => a.filename).sort()).toEqual(['reply.txt', 'ticket.txt']);
		const forAgent = await listTicketAttachments(await scopeFor(agent), ticket.number);
		expect(forAgent.map((a) => a.filename).sort()).toEqual(['note.txt', 'reply.txt', 'ticket.txt']);
		expect(forAgent.find((a) => a.filename === 'ticket.txt')).toMatchObject({
			size: 5,
			entryId: null
		});
		await expectAppError(listTicketAttachments(await scopeFor(other), ticket.id), 'NOT_FOUND');
	});

	it('the private link downloads the ticket and reply files, not notes nor other tickets', async () => {
		const get = (token: string, id: string) =>
			call(linkDownload.GET, { url: `/t/${token}/attachments/${id}`, params: { token, id } });
		const ok = await get(ticket.accessToken, ids.reply);
		expect(ok.status).toBe(200);
		expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
		expect(await ok.text()).toBe('hello');
		expect((await get(ticket.accessToken, ids.ticket)).status).toBe(200);
		expect((await get(ticket.accessToken, ids.note)).status).toBe(404);
		expect((await get(ticket.accessToken, ids.foreign)).status).toBe(404);
		expect((await get('x'.repeat(24), ids.reply)).status).toBe(404);
		expect((await get('bad', ids.reply)).status).toBe(404);
	});

	it('a file missing on disk is a 404, not a crash', async () => {
		const id = await uploadedId(requester, 'gone.txt');
		const row = await db().attachment.findUniqueOrThrow({ where: { id } });
		rmSync(pathOf(row.storageKey));
		expect((await download(requester, id)).status).toBe(404);
	});
});

describe('pending uploads', () => {
	it('only their uploader can download them — not admins, not anyone', async () => {
		const [owner, admin, peer] = await Promise.all([
			makeUser({ role: 'END_USER' }),
			makeUser({ role: 'ADMIN' }),
			makeUser({ role: 'END_USER' })
		]);
		const id = await uploadedId(owner);
		expect((await download(owner, id)).status).toBe(200);
		expect((await download(admin, id)).status).toBe(404);
		expect((await download(peer, id)).status).toBe(404);
		await expectAppError(openAttachment({ ticketToken: 'y'.repeat(24) }, id), 'NOT_FOUND');
	});

	it('are attached only by their uploader, once, and all or nothing', async () => {
		const [owner, peer] = await Promise.all([
			makeUser({ role: 'END_USER' }),
			makeUser({ role: 'END_USER' })
		]);
		const ticket = await makeTicket(owner.id);
		const mine = await uploadedId(owner);
		const theirs = await uploadedId(peer);
		const target = { ticketId: ticket.id, entryId: null, uploaderId: owner.id };

		const foreign = await expectAppError(attach([mine, theirs], target), 'BAD_REQUEST');
		expect(foreign.fields?.attachmentIds).toHaveLength(1);
		expect((await db().attachment.findUniqueOrThrow({ where: { id: mine } })).ticketId).toBeNull();
		await expectAppError(attach([randomUUID()], target), 'BAD_REQUEST');

		await attach([mine, mine], target);
		expect((await db().attachment.findUniqueOrThrow({ where: { id: mine } })).ticketId).toBe(
			ticket.id
		);
		await expectAppError(attach([mine], target), 'BAD_REQUEST');
		await attach([], target);
	});

	it('stale ones are deleted with their files; attached and recent ones stay', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const ticket = await makeTicket(user.id);
		const [stale, attached, fresh] = [
			await uploadedId(user, 'stale.txt'),
			await uploadedId(user, 'attached.txt'),
			await uploadedId(user, 'fresh.txt')
		];
		await attach([attached], { ticketId: ticket.id, entryId: null, uploaderId: user.id });
		const old = new Date('2000-06-01T00:00:00Z');
		await db().attachment.updateMany({
			where: { id: { in: [stale, attached] } },
			data: { createdAt: old }
		});
		const staleKey = (await db().attachment.findUniqueOrThrow({ where: { id: stale } })).storageKey;

		const now = Date.now();
		const removed = await deleteStaleUploads(now - Date.parse('2001-01-01T00:00:00Z'), now);
		expect(removed).toBeGreaterThanOrEqual(1);
		expect(await db().attachment.findUnique({ where: { id: stale } })).toBeNull();
		expect(existsSync(pathOf(staleKey))).toBe(false);
		expect(await db().attachment.findUnique({ where: { id: attached } })).not.toBeNull();
		expect(await db().attachment.findUnique({ where: { id: fresh } })).not.toBeNull();
	});

	it('partial files a crash left in the temp folder are swept', async () => {
		await mkdir(join(root, '.tmp'), { recursive: true });
		const crashed = join(root, '.tmp', `${randomUUID()}.part`);
		const current = join(root, '.tmp', `${randomUUID()}.part`);
		writeFileSync(crashed, 'partial');
		writeFileSync(current, 'in progress');
		utimesSync(crashed, new Date('2000-01-01'), new Date('2000-01-01'));
		expect(await sweepTemp(86_400_000)).toBe(1);
		expect(existsSync(crashed)).toBe(false);
		expect(existsSync(current)).toBe(true);
	});
});

describe('uploads without an account', () => {
	it('the public form upload answers with a claim that attaches it to the new ticket', async () => {
		const res = await call(submitUpload.POST, {
			url: '/submit/attachments',
			method: 'POST',
			headers: { 'x-filename': 'error.png' },
			body: PNG
		});
		expect(res.status).toBe(201);
		const { id, claim } = (await res.json()) as { id: string; claim: string };
		expect(claim).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(await checkSubmitClaim(id, claim)).toBe(true);
		expect(await checkSubmitClaim(id, claim.slice(1))).toBe(false);
		expect(await checkSubmitClaim(randomUUID(), claim)).toBe(false);

		const requester = await makeUser({ role: 'REQUESTER' });
		const ticket = await makeTicket(requester.id);
		const target = { ticketId: ticket.id, entryId: null, uploaderId: null };
		await expectAppError(attach([id], target), 'BAD_REQUEST');
		await expectAppError(attach([id], { ...target, claims: { [id]: 'forged' } }), 'BAD_REQUEST');
		// A claim for the public form is not one for a private link.
		await expectAppError(
			attach([id], { ...target, ticketToken: ticket.id, claims: { [id]: claim } }),
			'BAD_REQUEST'
		);
		await attach([id], { ...target, claims: { [id]: claim } });
		expect((await db().attachment.findUniqueOrThrow({ where: { id } })).ticketId).toBe(ticket.id);
	});

	it("a signed-in user cannot attach someone's anonymous upload, even holding its claim", async () => {
		const stored = await storeUpload(
			{ userId: null },
			once(Buffer.from('anon')),
			{ filename: 'a.txt' },
			1024
		);
		const user = await makeUser({ role: 'END_USER' });
		const ticket = await makeTicket(user.id);
		await expectAppError(
			attach([stored.id], {
				ticketId: ticket.id,
				entryId: null,
				uploaderId: user.id,
				claims: { [stored.id]: stored.claim! }
			}),
			'BAD_REQUEST'
		);
	});

	it('a private link upload is bound to that ticket', async () => {
		const requester = await makeUser({ role: 'REQUESTER' });
		const [ticket, otherTicket] = [await makeTicket(requester.id), await makeTicket(requester.id)];
		const post = (token: string) =>
			call(linkUpload.POST, {
				url: `/t/${token}/attachments`,
				method: 'POST',
				params: { token },
				headers: { 'x-filename': encodeURIComponent('log file.txt') },
				body: Buffer.from('log lines')
			});
		expect((await post('z'.repeat(30))).status).toBe(404);
		const res = await post(ticket.accessToken);
		expect(res.status).toBe(201);
		expect(res.headers.get('referrer-policy')).toBe('no-referrer');
		const { id, claim, filename } = (await res.json()) as {
			id: string;
			claim: string;
			filename: string;
		};
		expect(filename).toBe('log file.txt');
		expect(await checkAttachmentClaim(id, claim, { ticketId: ticket.id })).toBe(true);
		expect(await checkAttachmentClaim(id, claim, 'submit')).toBe(false);
		expect(claim).toBe(await attachmentClaim(id, { ticketId: ticket.id }));

		const entry = await makeEntry(otherTicket.id, requester.id, 'REPLY');
		await expectAppError(
			attach([id], {
				ticketId: otherTicket.id,
				entryId: entry.id,
				uploaderId: null,
				ticketToken: otherTicket.id,
				claims: { [id]: claim }
			}),
			'BAD_REQUEST'
		);
		const reply = await makeEntry(ticket.id, requester.id, 'REPLY');
		await attach([id], {
			ticketId: ticket.id,
			entryId: reply.id,
			uploaderId: null,
			ticketToken: ticket.id,
			claims: { [id]: claim }
		});
		const down = await call(linkDownload.GET, {
			url: `/t/${ticket.accessToken}/attachments/${id}`,
			params: { token: ticket.accessToken, id }
		});
		expect(await down.text()).toBe('log lines');
	});

	it(`allows ${ANONYMOUS_UPLOADS_PER_10_MIN} anonymous uploads per 10 minutes per address`, async () => {
		const ip = uniqueIp();
		for (let i = 0; i < ANONYMOUS_UPLOADS_PER_10_MIN; i++) await consumeAnonymousUpload(ip);
		const err = await expectAppError(consumeAnonymousUpload(ip), 'TOO_MANY_REQUESTS');
		expect(err.retryAfterSeconds).toBeGreaterThan(0);
		await consumeAnonymousUpload(uniqueIp());
	});
});
