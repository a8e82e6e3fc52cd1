import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { fetchPop3, testPop3 } from '../../src/lib/server/mail/pop3';
import { importInChild, mailboxAccount, startDovecot, type Dovecot } from '../helpers/dovecot';
import { mime, uniqueAddress } from '../helpers/mail';

let dovecot: Dovecot;
beforeAll(async () => {
	dovecot = await startDovecot();
});
afterAll(async () => {
	await dovecot?.stop();
});

const message = (body?: string) =>
	mime({ from: uniqueAddress('pop'), subject: `Monitor ${randomUUID().slice(0, 6)}`, body });

const inboundOf = (accountId: string) =>
	db().inboundMail.findMany({
		where: { accountId },
		select: { status: true, ticketId: true, raw: true, channel: true }
	});

describe('POP3 import (real Dovecot)', () => {
	it('delete mode: every message becomes a ticket and is deleted from the server', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'POP3', { afterImport: 'DELETE' });
		for (let i = 0; i < 3; i++) dovecot.deliver(user, message());
		expect(await fetchPop3(account)).toEqual({ fetched: 3, imported: 3 });
		const rows = await inboundOf(account.id);
		expect(rows).toHaveLength(3);
		expect(rows.every((r) => r.status === 'PROCESSED' && r.channel === 'POP3')).toBe(true);
		expect(new Set(rows.map((r) => r.ticketId)).size).toBe(3);
		expect(dovecot.messages(user)).toHaveLength(0);
		expect(await fetchPop3(account)).toEqual({ fetched: 0, imported: 0 });
	});

	it('keep mode: messages stay on the server, UIDLs are tracked, a second pass imports only new mail', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'POP3', { afterImport: 'KEEP' });
		for (let i = 0; i < 3; i++) dovecot.deliver(user, message());
		expect(await fetchPop3(account)).toEqual({ fetched: 3, imported: 3 });
		expect(dovecot.messages(user)).toHaveLength(3);
		expect(await db().pop3Seen.count({ where: { accountId: account.id } })).toBe(3);

		expect(await fetchPop3(account)).toEqual({ fetched: 0, imported: 0 });
		dovecot.deliver(user, message());
		expect(await fetchPop3(account)).toEqual({ fetched: 1, imported: 1 });
		expect(await inboundOf(account.id)).toHaveLength(4);
		expect(await db().pop3Seen.count({ where: { accountId: account.id } })).toBe(4);
	});

	it('keeps the message bytes: dot-stuffed lines and 8-bit text arrive as sent', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'POP3');
		const raw = message('Grüße aus Köln\r\n.hidden dot line\r\n..two dots\r\n.\r\nend');
		dovecot.deliver(user, raw);
		await fetchPop3(account);
		const [row] = await inboundOf(account.id);
		expect(Buffer.from(row!.raw).toString('utf8').replace(/\r\n$/, '')).toBe(raw.toString('utf8'));
	});

	it('a crash before QUIT leaves the mail on the server; the next pass makes no second ticket', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'POP3', { afterImport: 'DELETE' });
		for (let i = 0; i < 5; i++) dovecot.deliver(user, message());
		const crashed = await importInChild('POP3', account.id, 2);
		expect(crashed.signal).toBe('SIGKILL');
		expect(await inboundOf(account.id)).toHaveLength(2);
		// DELE only takes effect at QUIT: all five are still there.
		expect(dovecot.messages(user)).toHaveLength(5);

		expect(await fetchPop3(account)).toEqual({ fetched: 5, imported: 3 });
		const rows = await inboundOf(account.id);
		expect(rows).toHaveLength(5);
		expect(rows.every((r) => r.status === 'PROCESSED')).toBe(true);
		expect(new Set(rows.map((r) => r.ticketId)).size).toBe(5);
		expect(dovecot.messages(user)).toHaveLength(0);
	}, 60_000);

	it('the test button: the message count, or the server’s error for a wrong password', async () => {
		const { user } = await mailboxAccount(dovecot, 'POP3');
		dovecot.deliver(user, message());
		const settings = { host: dovecot.host, port: dovecot.pop3Port, tls: false, username: user };
		expect(await testPop3({ ...settings, password: 'secret' })).toEqual({ ok: true, messages: 1 });
		const started = Date.now();
		const bad = await testPop3({ ...settings, password: 'wrong' });
		expect(bad.ok).toBe(false);
		expect(!bad.ok && bad.error).toContain('Authentication failed');
		expect(Date.now() - started).toBeLessThan(5000);
	});
});
