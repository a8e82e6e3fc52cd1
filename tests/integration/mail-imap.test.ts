import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { fetchImap, testImap, watchImap } from '../../src/lib/server/mail/imap';
import { importInChild, mailboxAccount, startDovecot, type Dovecot } from '../helpers/dovecot';
import { mime, uniqueAddress } from '../helpers/mail';

let dovecot: Dovecot;
beforeAll(async () => {
	dovecot = await startDovecot();
});
afterAll(async () => {
	await dovecot?.stop();
});

const message = (subject = `Laptop ${randomUUID().slice(0, 6)}`) =>
	mime({ from: uniqueAddress('imap'), subject });

/** Every stored message of the account with the ticket it made. */
const inboundOf = (accountId: string) =>
	db().inboundMail.findMany({
		where: { accountId },
		select: { status: true, ticketId: true, messageId: true, channel: true }
	});

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (ok(v) || Date.now() > end) return v;
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('IMAP import (real Dovecot)', () => {
	it('imports every unseen message as a ticket and marks it seen on the server', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP');
		for (let i = 0; i < 3; i++) dovecot.deliver(user, message());
		expect(await fetchImap(account)).toEqual({ fetched: 3, imported: 3 });

		const rows = await inboundOf(account.id);
		expect(rows).toHaveLength(3);
		expect(rows.every((r) => r.status === 'PROCESSED' && r.channel === 'IMAP')).toBe(true);
		expect(new Set(rows.map((r) => r.ticketId)).size).toBe(3);
		const tickets = await db().ticket.findMany({
			where: { id: { in: rows.map((r) => r.ticketId!) } }
		});
		expect(tickets.every((t) => t.source === 'EMAIL')).toBe(true);
		const onServer = dovecot.messages(user);
		expect(onServer).toHaveLength(3);
		expect(onServer.every((m) => m.seen)).toBe(true);
		// Nothing unseen is left: the next pass reads nothing.
		expect(await fetchImap(account)).toEqual({ fetched: 0, imported: 0 });
	});

	it('move mode moves imported messages into the folder, creating it when missing', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP', {
			afterImport: 'MOVE',
			moveTo: 'Imported'
		});
		for (let i = 0; i < 2; i++) dovecot.deliver(user, message());
		expect(await fetchImap(account)).toEqual({ fetched: 2, imported: 2 });
		expect(dovecot.messages(user)).toHaveLength(0);
		expect(dovecot.messages(user, 'Imported')).toHaveLength(2);
		expect(await inboundOf(account.id)).toHaveLength(2);
	});

	it('delete mode deletes and expunges imported messages; a read message is imported too', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP', { afterImport: 'DELETE' });
		dovecot.deliver(user, message());
		dovecot.deliver(user, message());
		// Someone read one of them in a mail client first: it is imported all the same.
		const c = new ImapFlow({
			host: dovecot.host,
			port: dovecot.imapPort,
			secure: false,
			auth: { user, pass: 'secret' },
			logger: false
		});
		await c.connect();
		await c.mailboxOpen('INBOX');
		await c.messageFlagsAdd('1', ['\\Seen']);
		await c.logout();
		expect(await fetchImap(account)).toEqual({ fetched: 2, imported: 2 });
		expect(dovecot.messages(user)).toHaveLength(0);
		const rows = await inboundOf(account.id);
		expect(rows.filter((r) => r.status === 'PROCESSED')).toHaveLength(2);
	});

	it('the same message delivered twice makes one ticket, and both copies are acknowledged', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP');
		const raw = message();
		dovecot.deliver(user, raw);
		dovecot.deliver(user, raw);
		expect(await fetchImap(account)).toEqual({ fetched: 2, imported: 1 });
		const rows = await inboundOf(account.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]?.status).toBe('PROCESSED');
		expect(dovecot.messages(user).every((m) => m.seen)).toBe(true);
	});

	it('a watcher imports a message delivered after it started, announced by IDLE', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP', { pollSeconds: 3600 });
		dovecot.deliver(user, message());
		const abort = new AbortController();
		const passes: number[] = [];
		const watching = watchImap(account, abort.signal, {
			autoIdleDelay: 100,
			onPass: (r) => passes.push(r.fetched)
		});
		try {
			await until(
				async () => passes.length,
				(n) => n >= 1
			);
			expect(passes[0]).toBe(1);
			// Polling is an hour away: only IDLE can bring this one in.
			await new Promise((r) => setTimeout(r, 400));
			const started = Date.now();
			dovecot.deliver(user, message());
			const rows = await until(
				() => inboundOf(account.id),
				(r) => r.length === 2 && r.every((x) => x.status === 'PROCESSED')
			);
			expect(rows).toHaveLength(2);
			expect(Date.now() - started).toBeLessThan(5000);
			const after = await db().mailAccount.findUniqueOrThrow({ where: { id: account.id } });
			expect(after.lastCheckedAt).not.toBeNull();
			expect(after.lastError).toBeNull();
		} finally {
			abort.abort();
			await watching;
		}
	});

	it('without IDLE on the server, a watcher polls every pollSeconds', async () => {
		const plain = await startDovecot({ noIdle: true });
		const abort = new AbortController();
		let watching: Promise<void> | undefined;
		try {
			const { user, account } = await mailboxAccount(plain, 'IMAP', { pollSeconds: 1 });
			const passes: number[] = [];
			watching = watchImap(account, abort.signal, {
				autoIdleDelay: 100,
				onPass: (r) => passes.push(r.fetched)
			});
			await until(
				async () => passes.length,
				(n) => n >= 1
			);
			plain.deliver(user, message());
			const rows = await until(
				() => inboundOf(account.id),
				(r) => r.length === 1 && r[0]?.status === 'PROCESSED'
			);
			expect(rows).toHaveLength(1);
			expect(
				await until(
					async () => passes.length,
					(n) => n >= 2
				)
			).toBeGreaterThanOrEqual(2);
			expect(passes[0]).toBe(0);
		} finally {
			abort.abort();
			await watching;
			await plain.stop();
		}
	});

	it('a failed login: the test button shows the server’s message, quickly, and a watcher records it', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP');
		const settings = { host: dovecot.host, port: dovecot.imapPort, tls: false, username: user };
		const started = Date.now();
		expect(await testImap({ ...settings, password: 'wrong' })).toEqual({
			ok: false,
			error: 'Authentication failed.'
		});
		expect(Date.now() - started).toBeLessThan(5000);
		const good = await testImap({ ...settings, password: 'secret' });
		expect(good).toMatchObject({ ok: true });
		expect(good.ok && good.folders).toContain('INBOX');

		const unreachable = await testImap({ ...settings, port: 1, password: 'secret' });
		expect(unreachable.ok).toBe(false);

		const abort = new AbortController();
		const watching = watchImap(
			{
				...account,
				passwordEnc: (await import('../../src/lib/server/mail/secrets')).encryptSecret('nope')
			},
			abort.signal
		);
		const row = await until(
			() => db().mailAccount.findUniqueOrThrow({ where: { id: account.id } }),
			(a) => a.lastError !== null
		);
		abort.abort();
		await watching;
		expect(row.lastError).toBe('Authentication failed.');
	});

	it('a crash between storing and acknowledging: the next import makes no second ticket', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP');
		for (let i = 0; i < 6; i++) dovecot.deliver(user, message());
		const crashed = await importInChild('IMAP', account.id, 3);
		expect(crashed.signal).toBe('SIGKILL');
		// Three stored, none acknowledged on the server (nor turned into tickets yet).
		expect(await inboundOf(account.id)).toHaveLength(3);
		expect(dovecot.messages(user).some((m) => m.seen)).toBe(false);

		expect(await fetchImap(account)).toEqual({ fetched: 6, imported: 3 });
		const rows = await inboundOf(account.id);
		expect(rows).toHaveLength(6);
		expect(rows.every((r) => r.status === 'PROCESSED')).toBe(true);
		expect(new Set(rows.map((r) => r.ticketId)).size).toBe(6);
		expect(dovecot.messages(user).every((m) => m.seen)).toBe(true);
	}, 60_000);

	it('two imports racing on one mailbox over separate connections: each message once', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP', {
			afterImport: 'MOVE',
			moveTo: 'Done'
		});
		for (let i = 0; i < 30; i++) dovecot.deliver(user, message());
		const [a, b] = await Promise.all([
			fetchImap(account, { batchSize: 5 }),
			fetchImap(account, { batchSize: 7 })
		]);
		expect(a.imported + b.imported).toBe(30);
		const rows = await inboundOf(account.id);
		expect(rows).toHaveLength(30);
		expect(rows.every((r) => r.status === 'PROCESSED')).toBe(true);
		expect(new Set(rows.map((r) => r.ticketId)).size).toBe(30);
		expect(dovecot.messages(user)).toHaveLength(0);
		// IMAP MOVE is copy + expunge: two sessions moving one message at the same instant may
		// both copy it (the pollers' lease is what prevents that). Tickets stay exactly once.
		expect(dovecot.messages(user, 'Done').length).toBeGreaterThanOrEqual(30);
	}, 60_000);

	it('two instances importing the same mailbox at once: each message becomes one ticket', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP', { afterImport: 'DELETE' });
		for (let i = 0; i < 20; i++) dovecot.deliver(user, message());
		const [a, b] = await Promise.all([
			importInChild('IMAP', account.id),
			importInChild('IMAP', account.id)
		]);
		const results = [a, b].map((r) => JSON.parse(r.out) as { fetched: number; imported: number });
		expect(results[0]!.imported + results[1]!.imported).toBe(20);
		const rows = await inboundOf(account.id);
		expect(rows).toHaveLength(20);
		expect(rows.every((r) => r.status === 'PROCESSED')).toBe(true);
		expect(new Set(rows.map((r) => r.ticketId)).size).toBe(20);
		expect(dovecot.messages(user)).toHaveLength(0);
		const tickets = await db().ticketEntry.count({
			where: { ticketId: { in: rows.map((r) => r.ticketId!) } }
		});
		expect(tickets).toBe(0); // no replies were added by a second pass
	}, 60_000);
});
