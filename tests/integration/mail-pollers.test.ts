import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { startMailPollers } from '../../src/lib/server/mail/poller';
import { useOwnDatabase } from '../helpers/database';
import { mailboxAccount, startDovecot, type Dovecot } from '../helpers/dovecot';
import { mime, uniqueAddress } from '../helpers/mail';

// The pollers read every active account: a database of our own keeps other files' accounts out.
let own: Awaited<ReturnType<typeof useOwnDatabase>>;
let dovecot: Dovecot;
beforeAll(async () => {
	own = await useOwnDatabase();
	dovecot = await startDovecot();
});
afterAll(async () => {
	await dovecot?.stop();
	await own?.restore();
});

const message = () =>
	mime({ from: uniqueAddress('poll'), subject: `Badge ${randomUUID().slice(0, 6)}` });

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (ok(v) || Date.now() > end) return v;
		await new Promise((r) => setTimeout(r, 100));
	}
}

const processed = (accountId: string) =>
	db().inboundMail.count({ where: { accountId, status: 'PROCESSED' } });

/** How many sessions hold the account's lease right now. */
async function leaseHolders(accountId: string): Promise<number> {
	const c = new pg.Client({ connectionString: own.url });
	await c.connect();
	try {
		const { rows } = await c.query<{ n: string }>(
			`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
				AND objid = (hashtext($1)::bigint & 4294967295)::oid`,
			[`mail:${accountId}`]
		);
		return Number(rows[0]?.n ?? 0);
	} finally {
		await c.end();
	}
}

const fast = { leaseRetryMs: 200, refreshMs: 300, autoIdleDelay: 100 };

describe('mail pollers', () => {
	it('two instances: one holds the lease and imports once; the other takes over when it stops', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'IMAP', { pollSeconds: 3600 });
		for (let i = 0; i < 5; i++) dovecot.deliver(user, message());
		const first = startMailPollers(fast);
		let second: ReturnType<typeof startMailPollers> | undefined;
		try {
			expect(
				await until(
					() => processed(account.id),
					(n) => n === 5
				)
			).toBe(5);
			second = startMailPollers(fast);
			await new Promise((r) => setTimeout(r, 800)); // the second one tried and waits
			expect(await leaseHolders(account.id)).toBe(1);

			await first.stop();
			// The lease is free now: the second instance takes it and picks up new mail (IDLE).
			for (let i = 0; i < 3; i++) dovecot.deliver(user, message());
			expect(
				await until(
					() => processed(account.id),
					(n) => n === 8
				)
			).toBe(8);
			expect(await leaseHolders(account.id)).toBe(1);
			expect(await db().inboundMail.count({ where: { accountId: account.id } })).toBe(8);
		} finally {
			await first.stop();
			await second?.stop();
		}
		expect(await leaseHolders(account.id)).toBe(0);
	}, 60_000);

	it('polls POP3 accounts, and stops reading an account that was deactivated', async () => {
		const { user, account } = await mailboxAccount(dovecot, 'POP3', { pollSeconds: 1 });
		dovecot.deliver(user, message());
		const pollers = startMailPollers(fast);
		try {
			expect(
				await until(
					() => processed(account.id),
					(n) => n === 1
				)
			).toBe(1);
			// Deleted at QUIT, just after the import.
			expect(
				await until(
					async () => dovecot.messages(user).length,
					(n) => n === 0
				)
			).toBe(0);
			// The pass records its check just after QUIT.
			expect(
				await until(
					async () =>
						(await db().mailAccount.findUniqueOrThrow({ where: { id: account.id } })).lastCheckedAt,
					(at) => at !== null
				)
			).not.toBeNull();

			await db().mailAccount.update({ where: { id: account.id }, data: { active: false } });
			expect(
				await until(
					() => leaseHolders(account.id),
					(n) => n === 0
				)
			).toBe(0);
			dovecot.deliver(user, message());
			await new Promise((r) => setTimeout(r, 1500));
			expect(dovecot.messages(user)).toHaveLength(1);
		} finally {
			await pollers.stop();
		}
	}, 60_000);
});
