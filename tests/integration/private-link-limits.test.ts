import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { ANONYMOUS_UPLOADS_PER_10_MIN } from '../../src/lib/server/tickets/attachments-http';
import {
	consumeLinkReply,
	consumeLinkUpload,
	LINK_REPLIES_PER_10_MIN,
	LINK_REPLIES_PER_IP_PER_HOUR,
	LINK_UPLOADS_PER_HOUR
} from '../../src/lib/server/tickets/link-limits';
import { replyByToken } from '../../src/lib/server/tickets/public';
import * as linkUpload from '../../src/routes/t/[token]/attachments/+server';
import { makeUser, uniqueEmail, uniqueIp } from '../helpers/factories';
import { fakeEvent } from '../helpers/http';
import { makeTicket } from '../helpers/tickets';

let root: string;
beforeAll(() => {
	root = mkdtempSync(join(tmpdir(), 'itsm-link-limits-'));
	process.env.ATTACHMENTS_DIR = root;
});
afterAll(() => {
	delete process.env.ATTACHMENTS_DIR;
	rmSync(root, { recursive: true, force: true });
});

/** A ticket for a contact, reachable by its private link. */
async function linkedTicket() {
	const agent = await makeUser({ role: 'AGENT' });
	const t = await makeTicket(agent, { requester: { email: uniqueEmail('link'), name: 'Lee' } });
	const { accessToken } = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
	return { id: t.id, token: accessToken };
}

const repliesOn = (ticketId: string) => db().ticketEntry.count({ where: { ticketId } });

/** Uses up `n` of a counter, one call per fresh address (so no address limit is reached). */
async function useUp(n: number, consume: (ip: string) => Promise<void>) {
	for (let i = 0; i < n; i++) await consume(uniqueIp());
}

/** The page's `?/reply` action, as a browser posts it from `ip`. */
async function postReply(token: string, ip: string, body: string, files: File[] = []) {
	const { actions } = await import('../../src/routes/t/[token]/+page.server');
	const form = new FormData();
	form.set('body', body);
	for (const f of files) form.append('files', f);
	const { event } = fakeEvent({
		url: `http://localhost/t/${token}?/reply`,
		method: 'POST',
		body: form,
		clientAddress: ip
	});
	const headers: Record<string, string> = {};
	Object.assign(event, {
		params: { token },
		setHeaders: (h: Record<string, string>) => Object.assign(headers, h)
	});
	const result = (await actions.reply!(event as never)) as {
		status?: number;
		data?: { action: string; message: string; body: string };
		ok?: boolean;
	};
	return { result, headers };
}

function upload(token: string, ip: string) {
	const { event } = fakeEvent({
		url: `http://localhost/t/${token}/attachments`,
		method: 'POST',
		headers: { 'x-filename': 'screenshot.txt', 'content-type': 'text/plain' },
		body: new TextEncoder().encode('hello'),
		clientAddress: ip
	});
	Object.assign(event.params, { token });
	return linkUpload.POST(event as never);
}

describe('replies through the private link are rate limited', () => {
	it(`one link takes ${LINK_REPLIES_PER_10_MIN} replies in 10 minutes, from any address; then it is refused and nothing is written`, async () => {
		const { id, token } = await linkedTicket();
		for (let i = 0; i < LINK_REPLIES_PER_10_MIN; i++) {
			await replyByToken(token, { body: `Update ${i}` }, { ip: uniqueIp() });
		}
		const err = await replyByToken(token, { body: 'One more' }, { ip: uniqueIp() }).catch(
			(e: unknown) => e
		);
		expect(err).toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringMatching(/This ticket received many replies.*wait \d+ minutes/)
		});
		expect((err as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(500);
		expect(await repliesOn(id)).toBe(LINK_REPLIES_PER_10_MIN);

		// Another link is not affected.
		const other = await linkedTicket();
		await replyByToken(other.token, { body: 'Hello' }, { ip: uniqueIp() });
		expect(await repliesOn(other.id)).toBe(1);
	});

	it(`one address takes ${LINK_REPLIES_PER_IP_PER_HOUR} replies an hour across all links`, async () => {
		const ip = uniqueIp();
		// Replies counted on other links before (one link each, so no link limit is reached).
		for (let i = 0; i < LINK_REPLIES_PER_IP_PER_HOUR - 1; i++) {
			await consumeLinkReply(randomUUID(), ip);
		}
		const { id, token } = await linkedTicket();
		await replyByToken(token, { body: `Reply number ${LINK_REPLIES_PER_IP_PER_HOUR}` }, { ip });
		await expect(replyByToken(token, { body: 'Past the limit' }, { ip })).rejects.toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringMatching(/from your network/)
		});
		expect(await repliesOn(id)).toBe(1);
		// Someone else on the same link is not affected by this address.
		await replyByToken(token, { body: 'From elsewhere' }, { ip: uniqueIp() });
		expect(await repliesOn(id)).toBe(2);
	});

	it('invalid replies and unknown links are not counted', async () => {
		const { id, token } = await linkedTicket();
		const ip = uniqueIp();
		for (let i = 0; i <= LINK_REPLIES_PER_10_MIN; i++) {
			await expect(replyByToken(token, { body: '  ' }, { ip })).rejects.toMatchObject({
				code: 'BAD_REQUEST'
			});
			await expect(replyByToken('Z'.repeat(30), { body: 'Hello' }, { ip })).rejects.toMatchObject({
				code: 'NOT_FOUND'
			});
		}
		await replyByToken(token, { body: 'A real reply' }, { ip });
		expect(await repliesOn(id)).toBe(1);
	});

	it('the page says why next to the form, answers 429 with Retry-After, keeps the message and stores no file', async () => {
		const { id, token } = await linkedTicket();
		await useUp(LINK_REPLIES_PER_10_MIN, (ip) => consumeLinkReply(id, ip));
		const filename = `log-${randomUUID()}.txt`;
		const { result, headers } = await postReply(token, uniqueIp(), 'Still broken.', [
			new File(['log'], filename, { type: 'text/plain' })
		]);
		expect(result.status).toBe(429);
		expect(result.data).toMatchObject({
			action: 'reply',
			body: 'Still broken.',
			message: expect.stringMatching(/wait \d+ minutes and send your message again/)
		});
		expect(Number(headers['retry-after'])).toBeGreaterThan(500);
		expect(await repliesOn(id)).toBe(0);
		expect(await db().attachment.count({ where: { filename } })).toBe(0);
	});

	it('files sent inside the reply form count as uploads through the link', async () => {
		const { id, token } = await linkedTicket();
		await useUp(LINK_UPLOADS_PER_HOUR - 1, (ip) => consumeLinkUpload(id, ip));
		const file = (name: string) => new File(['x'], name, { type: 'text/plain' });
		const one = await postReply(token, uniqueIp(), 'One log attached.', [file('a.txt')]);
		expect(one.result).toMatchObject({ action: 'reply', ok: true });

		const late = `late-${randomUUID()}.txt`;
		const two = await postReply(token, uniqueIp(), 'Two more logs.', [file(late), file(late)]);
		expect(two.result).toMatchObject({
			status: 429,
			data: { message: expect.stringMatching(/Too many files/) }
		});
		expect(await db().attachment.count({ where: { filename: late } })).toBe(0);
		// Replies without files still go through: the link has replies left.
		const plain = await postReply(token, uniqueIp(), 'No files this time.');
		expect(plain.result).toMatchObject({ action: 'reply', ok: true });

		const entries = await db().ticketEntry.findMany({
			where: { ticketId: id },
			orderBy: { createdAt: 'asc' },
			include: { attachments: true }
		});
		expect(entries.map((e) => e.attachments.map((a) => a.filename))).toEqual([['a.txt'], []]);
	});
});

describe('uploads through the private link are rate limited', () => {
	it(`one link takes ${LINK_UPLOADS_PER_HOUR} uploads an hour, then POST /t/<token>/attachments answers 429 with Retry-After`, async () => {
		const { id, token } = await linkedTicket();
		await useUp(LINK_UPLOADS_PER_HOUR - 1, (ip) => consumeLinkUpload(id, ip));
		expect((await upload(token, uniqueIp())).status).toBe(201);
		const refused = await upload(token, uniqueIp());
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(500);
		const body = (await refused.json()) as { error: { code: string; message: string } };
		expect(body.error).toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringMatching(/Too many files were added to this ticket/)
		});
		// Another link is not affected.
		expect((await upload((await linkedTicket()).token, uniqueIp())).status).toBe(201);
	});

	it(`one address takes ${ANONYMOUS_UPLOADS_PER_10_MIN} uploads in 10 minutes, across links and /submit`, async () => {
		const ip = uniqueIp();
		const a = await linkedTicket();
		const b = await linkedTicket();
		for (let i = 0; i < ANONYMOUS_UPLOADS_PER_10_MIN - 1; i++) {
			await consumeLinkUpload(i % 2 ? a.id : b.id, ip);
		}
		expect((await upload(a.token, ip)).status).toBe(201);
		const refused = await upload(b.token, ip);
		expect(refused.status).toBe(429);
		expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
			/from your network/
		);
	});
});
