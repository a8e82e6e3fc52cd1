import pg from 'pg';
import { db } from '../db/client';
import type { MailAccount } from '../db/generated/client';
import { log } from '../log';
import { describeError, recordCheck, sleep, watchImap } from './imap';
import { fetchPop3 } from './pop3';

/**
 * Mail pollers, run by every app instance: one worker per active IMAP/POP3 account. A worker first
 * takes the account's lease — a PostgreSQL session advisory lock on this instance's lock
 * connection — so one instance reads a mailbox at a time; the others retry every leaseRetryMs and
 * take over when the holder stops or dies (its session ends, the lock with it). Exactly-once does
 * not depend on the lease (storeRaw and processInbound de-duplicate); it only avoids double work.
 * IDLE needs a connection held open, which is why this is a long-lived loop and not a pg-boss job.
 */
export interface PollerOptions {
	/** How often an instance without the lease tries again. Default 30 s. */
	leaseRetryMs?: number;
	/** How often the account list is re-read. Default 60 s. */
	refreshMs?: number;
	/** imapflow's autoIdleDelay (tests set it low). */
	autoIdleDelay?: number;
}

type Account = MailAccount;

/** What a worker depends on: a change restarts it. */
const fingerprint = (a: Account) =>
	JSON.stringify([
		a.inbound,
		a.host,
		a.port,
		a.tls,
		a.username,
		a.passwordEnc,
		a.folder,
		a.afterImport,
		a.moveTo,
		a.pollSeconds
	]);

/** One pg session holding this instance's leases; when it drops, every lease is lost. */
class LeaseConnection {
	private client: Promise<{ client: pg.Client; lost: AbortController }> | null = null;

	private connect() {
		this.client ??= (async () => {
			const client = new pg.Client({
				connectionString: process.env.DATABASE_URL,
				keepAlive: true,
				application_name: 'itsm-mail-leases'
			});
			const lost = new AbortController();
			const drop = () => {
				lost.abort();
				this.client = null;
			};
			client.on('error', drop);
			client.on('end', drop);
			try {
				await client.connect();
			} catch (err) {
				drop();
				throw err;
			}
			return { client, lost };
		})();
		return this.client;
	}

	/** The lease's signal (aborts when the session drops), or null when another instance has it. */
	async take(key: string): Promise<AbortSignal | null> {
		const { client, lost } = await this.connect();
		const { rows } = await client.query<{ ok: boolean }>(
			'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
			[key]
		);
		return rows[0]?.ok ? lost.signal : null;
	}

	async give(key: string): Promise<void> {
		const c = await this.client?.catch(() => null);
		if (c && !c.lost.signal.aborted)
			await c.client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
	}

	async close(): Promise<void> {
		const c = await this.client?.catch(() => null);
		this.client = null;
		await c?.client.end().catch(() => undefined);
	}
}

async function pollPop3(account: Account, signal: AbortSignal): Promise<void> {
	let backoff = 1000;
	while (!signal.aborted) {
		try {
			await fetchPop3(account, { signal });
			await recordCheck(account.id, null);
			backoff = 1000;
			await sleep(Math.max(1, account.pollSeconds) * 1000, signal);
		} catch (err) {
			if (signal.aborted) break;
			log.warn({ err, account: account.id }, 'pop3: import failed');
			await recordCheck(account.id, describeError(err)).catch(() => undefined);
			await sleep(backoff, signal);
			backoff = Math.min(backoff * 2, 5 * 60_000);
		}
	}
}

async function runWorker(
	account: Account,
	leases: LeaseConnection,
	signal: AbortSignal,
	opts: PollerOptions
): Promise<void> {
	const key = `mail:${account.id}`;
	while (!signal.aborted) {
		let lease: AbortSignal | null = null;
		try {
			lease = await leases.take(key);
		} catch (err) {
			log.warn({ err, account: account.id }, 'mail: could not take the lease');
		}
		if (!lease) {
			await sleep(opts.leaseRetryMs ?? 30_000, signal);
			continue;
		}
		const both = AbortSignal.any([signal, lease]);
		try {
			if (account.inbound === 'IMAP')
				await watchImap(account, both, { autoIdleDelay: opts.autoIdleDelay });
			else await pollPop3(account, both);
		} finally {
			await leases.give(key);
		}
	}
}

export function startMailPollers(opts: PollerOptions = {}): { stop(): Promise<void> } {
	const leases = new LeaseConnection();
	const workers = new Map<string, { print: string; abort: AbortController; done: Promise<void> }>();
	const stopped = new AbortController();

	const stopWorker = async (id: string) => {
		const w = workers.get(id);
		if (!w) return;
		workers.delete(id);
		w.abort.abort();
		await w.done;
	};

	const refresh = async () => {
		const accounts = await db().mailAccount.findMany({
			where: { active: true, inbound: { in: ['IMAP', 'POP3'] } }
		});
		const wanted = new Map(accounts.map((a) => [a.id, a]));
		for (const [id, w] of workers) {
			const a = wanted.get(id);
			if (!a || fingerprint(a) !== w.print) await stopWorker(id);
		}
		for (const a of accounts) {
			if (workers.has(a.id) || stopped.signal.aborted) continue;
			const abort = new AbortController();
			const done = runWorker(a, leases, abort.signal, opts).catch((err: unknown) =>
				log.error({ err, account: a.id }, 'mail: poller stopped')
			);
			workers.set(a.id, { print: fingerprint(a), abort, done });
		}
	};

	const loop = (async () => {
		while (!stopped.signal.aborted) {
			await refresh().catch((err: unknown) => log.warn({ err }, 'mail: could not read accounts'));
			await sleep(opts.refreshMs ?? 60_000, stopped.signal);
		}
	})();

	return {
		async stop() {
			stopped.abort();
			await loop;
			await Promise.all([...workers.keys()].map(stopWorker));
			await leases.close();
		}
	};
}
