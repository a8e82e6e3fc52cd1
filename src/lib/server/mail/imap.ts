import { ImapFlow } from 'imapflow';
import { db } from '../db/client';
import type { MailAccount } from '../db/generated/client';
import { log } from '../log';
import { processInbound } from './ingest';
import { storeRaw } from './receive';
import { decryptSecret } from './secrets';

/** What fetching needs of an account (a MailAccount row has it all). */
export type InboundAccount = Pick<
	MailAccount,
	| 'id'
	| 'host'
	| 'port'
	| 'tls'
	| 'username'
	| 'passwordEnc'
	| 'folder'
	| 'afterImport'
	| 'moveTo'
	| 'pollSeconds'
>;

export interface ServerSettings {
	host: string;
	port?: number | null;
	tls: boolean;
	username: string;
	password: string;
}

export interface FetchResult {
	/** Messages read from the server. */
	fetched: number;
	/** Of those, stored for the first time (the rest were duplicates, acknowledged again). */
	imported: number;
}

export interface FetchOptions {
	/** An open connection to reuse (the watcher's); otherwise one is opened and closed. */
	client?: ImapFlow;
	/** Messages fetched, stored and acknowledged per round (bounds memory). Default 50. */
	batchSize?: number;
	/** Called after each stored message, before it is acknowledged (tests simulate crashes here). */
	afterStore?: (stored: number) => void | Promise<void>;
	signal?: AbortSignal;
}

/** The server's own words when it has them (imapflow's messages say "Command failed"). */
export function describeError(err: unknown): string {
	const e = err as { responseText?: string; message?: string; code?: string };
	return e.responseText || e.message || e.code || String(err);
}

export function settingsOf(account: InboundAccount): ServerSettings {
	if (!account.host || !account.username || !account.passwordEnc)
		throw new Error('The account has no server, user name or password.');
	return {
		host: account.host,
		port: account.port,
		tls: account.tls,
		username: account.username,
		password: decryptSecret(account.passwordEnc)
	};
}

/**
 * A connected client. TLS from the first byte when `tls`, else STARTTLS when the server offers it
 * (certificates are verified). On a failed connect the socket is closed: imapflow leaves it open.
 */
export async function connectImap(
	s: ServerSettings,
	extra: { idle?: boolean; autoIdleDelay?: number } = {}
): Promise<ImapFlow> {
	const client = new ImapFlow({
		host: s.host,
		port: s.port ?? (s.tls ? 993 : 143),
		secure: s.tls,
		auth: { user: s.username, pass: s.password },
		logger: false,
		disableAutoIdle: !extra.idle,
		autoIdleDelay: extra.autoIdleDelay ?? 5_000,
		connectionTimeout: 20_000,
		greetingTimeout: 15_000
	});
	client.on('error', (err: unknown) => log.debug({ err }, 'imap: connection error'));
	try {
		await client.connect();
		return client;
	} catch (err) {
		client.close();
		throw err;
	}
}

async function closeQuietly(client: ImapFlow): Promise<void> {
	if (!client.usable) return client.close();
	await client.logout().catch(() => client.close());
}

type Mode = 'SEEN' | 'MOVE' | 'DELETE';

function modeOf(account: InboundAccount): Mode {
	const m = account.afterImport;
	if (m === 'MOVE' && !account.moveTo) throw new Error('"Move to folder" is not set.');
	return m === 'MOVE' || m === 'DELETE' ? m : 'SEEN';
}

async function acknowledge(client: ImapFlow, mode: Mode, uids: number[], moveTo: string | null) {
	const range = uids.join(',');
	if (mode === 'SEEN') await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
	else if (mode === 'DELETE') await client.messageDelete(range, { uid: true });
	else if (!(await client.messageMove(range, moveTo!, { uid: true })))
		throw new Error(`Could not move messages to "${moveTo}".`);
}

/**
 * Imports the account's folder once: messages not yet handled (unseen ones when they are marked
 * seen after import; all when they are moved or deleted) are fetched by UID in small batches,
 * each stored exactly once (storeRaw), then acknowledged at the source — only after storing, so a
 * crash in between means a re-fetch next time, which storeRaw recognises as a duplicate — and
 * turned into tickets or replies (processInbound is exactly once too, and picks up messages a
 * crash left stored but unprocessed), overlapping with the fetch of the next batch.
 */
export async function fetchImap(
	account: InboundAccount,
	opts: FetchOptions = {}
): Promise<FetchResult> {
	const mode = modeOf(account);
	const client = opts.client ?? (await connectImap(settingsOf(account)));
	try {
		if (mode === 'MOVE') await client.mailboxCreate(account.moveTo!).catch(() => undefined);
		const lock = await client.getMailboxLock(account.folder || 'INBOX');
		try {
			const found = await client.search(mode === 'SEEN' ? { seen: false } : { all: true }, {
				uid: true
			});
			const uids = (found || []).sort((a, b) => a - b);
			return await importUids(client, account, mode, uids, opts);
		} finally {
			lock.release();
		}
	} finally {
		if (!opts.client) await closeQuietly(client);
	}
}

async function importUids(
	client: ImapFlow,
	account: InboundAccount,
	mode: Mode,
	uids: number[],
	opts: FetchOptions
): Promise<FetchResult> {
	const batchSize = opts.batchSize ?? 50;
	const result: FetchResult = { fetched: 0, imported: 0 };
	// A batch is turned into tickets while the next one is fetched: one at a time, in order (a
	// reply after its original), and never more than one batch of ids waiting.
	let processing: Promise<void> = Promise.resolve();
	let failure: unknown = null;
	try {
		for (let i = 0; i < uids.length && !opts.signal?.aborted; i += batchSize) {
			const stored: { uid: number; id: string }[] = [];
			const range = uids.slice(i, i + batchSize).join(',');
			for await (const msg of client.fetch(range, { uid: true, source: true }, { uid: true })) {
				if (!msg.source) continue;
				const r = await storeRaw(msg.source, { channel: 'IMAP', accountId: account.id });
				stored.push({ uid: msg.uid, id: r.id });
				result.fetched++;
				if (!r.duplicate) result.imported++;
				await opts.afterStore?.(result.fetched);
			}
			if (stored.length === 0) continue;
			await acknowledge(
				client,
				mode,
				stored.map((s) => s.uid),
				account.moveTo
			);
			await processing;
			if (failure) break;
			processing = (async () => {
				for (const s of stored) await processInbound(s.id);
			})().catch((err: unknown) => {
				failure = err;
			});
		}
	} finally {
		await processing;
	}
	if (failure) throw failure;
	return result;
}

/** lastCheckedAt / lastError without touching updatedAt (the pollers watch config changes). */
export async function recordCheck(accountId: string, error: string | null): Promise<void> {
	await db().$executeRaw`
		UPDATE "MailAccount" SET "lastCheckedAt" = now(), "lastError" = ${error?.slice(0, 1000) ?? null}
		WHERE id = ${accountId}::uuid`;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
	new Promise<void>((resolve) => {
		if (signal?.aborted) return resolve();
		const t = setTimeout(done, ms);
		function done() {
			clearTimeout(t);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, { once: true });
	});

/**
 * Keeps importing an account until `signal` aborts, on one connection: new mail is fetched as the
 * server announces it (IDLE when the server has it; imapflow falls back to NOOP), and a full pass
 * runs every pollSeconds anyway (the polling for servers without IDLE, a safety net with it). Errors are recorded on the account and
 * the connection is reopened with backoff (1 s doubling to 5 min).
 */
export async function watchImap(
	account: InboundAccount,
	signal: AbortSignal,
	opts: { autoIdleDelay?: number; onPass?: (r: FetchResult) => void } = {}
): Promise<void> {
	let backoff = 1000;
	while (!signal.aborted) {
		let client: ImapFlow | undefined;
		try {
			client = await connectImap(settingsOf(account), {
				idle: true,
				autoIdleDelay: opts.autoIdleDelay
			});
			let announced = false;
			client.on('exists', () => (announced = true));
			while (!signal.aborted && client.usable) {
				announced = false;
				const r = await fetchImap(account, { client, signal });
				await recordCheck(account.id, null);
				backoff = 1000;
				opts.onPass?.(r);
				if (!announced) await waitForMail(client, account.pollSeconds, signal);
			}
			if (!signal.aborted) throw new Error('The server closed the connection.');
		} catch (err) {
			if (signal.aborted) break;
			log.warn({ err, account: account.id }, 'imap: import failed');
			await recordCheck(account.id, describeError(err)).catch(() => undefined);
			await sleep(backoff, signal);
			backoff = Math.min(backoff * 2, 5 * 60_000);
		} finally {
			if (client) await closeQuietly(client);
		}
	}
}

/** Until the server announces new mail (IDLE, or imapflow's NOOP), pollSeconds pass, or close. */
function waitForMail(client: ImapFlow, pollSeconds: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			client.off('exists', done);
			client.off('close', done);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, Math.max(1, pollSeconds) * 1000);
		client.on('exists', done);
		client.on('close', done);
		signal.addEventListener('abort', done, { once: true });
		if (signal.aborted || !client.usable) done();
	});
}

/** The admin's "test connection": the folders, or the server's own error message. */
export async function testImap(
	s: ServerSettings
): Promise<{ ok: true; folders: string[] } | { ok: false; error: string }> {
	let client: ImapFlow | undefined;
	try {
		client = await connectImap(s);
		const folders = (await client.list()).map((f) => f.path).sort();
		return { ok: true, folders };
	} catch (err) {
		return { ok: false, error: describeError(err) };
	} finally {
		if (client) await closeQuietly(client);
	}
}
