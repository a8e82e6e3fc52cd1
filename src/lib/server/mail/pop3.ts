import Pop3Command from 'node-pop3';
import type { Readable } from 'node:stream';
import { db } from '../db/client';
import { processInbound } from './ingest';
import { describeError, settingsOf, type InboundAccount, type ServerSettings } from './imap';
import { storeRaw } from './receive';

export interface Pop3Result {
	/** Messages read from the server. */
	fetched: number;
	/** Of those, stored for the first time. */
	imported: number;
}

/**
 * node-pop3 with the edges filed off: its own 'error' events never go unhandled (an unsolicited
 * -ERR would crash the process), and close() drops the socket (after a failed login it stays open).
 */
class Pop3 extends Pop3Command {
	constructor(s: ServerSettings) {
		super({
			host: s.host,
			port: s.port ?? (s.tls ? 995 : 110),
			tls: s.tls,
			user: s.username,
			password: s.password,
			timeout: 60_000
		});
		this.on('error', () => undefined);
	}

	/** RETR as bytes: node-pop3's RETR decodes to a UTF-8 string and leaves lines dot-stuffed. */
	async retrieve(n: string): Promise<Buffer> {
		await this._connect();
		const [, stream] = await this.command('RETR', n);
		const chunks: Buffer[] = [];
		for await (const chunk of stream as Readable) chunks.push(chunk as Buffer);
		// RFC 1939: a line starting with "." was sent with one more "."; latin1 keeps bytes as is.
		const text = Buffer.concat(chunks)
			.toString('latin1')
			.replace(/(^|\r\n)\.\./g, '$1.');
		return Buffer.from(text.endsWith('\r\n') ? text : `${text}\r\n`, 'latin1');
	}

	close(): void {
		this._socket?.destroy();
		this._socket = null;
	}
}

const uidlsOf = (list: string[][] | string[]): [string, string][] =>
	(list as string[][]).filter((l) => l.length >= 2).map((l) => [l[0]!, l[1]!]);

async function seenUidls(accountId: string, uidls: string[]): Promise<Set<string>> {
	const seen = new Set<string>();
	for (let i = 0; i < uidls.length; i += 1000) {
		const rows = await db().pop3Seen.findMany({
			where: { accountId, uidl: { in: uidls.slice(i, i + 1000) } },
			select: { uidl: true }
		});
		for (const r of rows) seen.add(r.uidl);
	}
	return seen;
}

/**
 * Imports a POP3 mailbox once. Each message is retrieved, stored exactly once (storeRaw), then
 * acknowledged: DELE (carried out by the server at QUIT: a crash before it leaves everything on
 * the server, to be recognised as duplicates next time) or, when mail is kept, its UIDL recorded
 * in Pop3Seen so the next pass skips it. UIDLs no longer on the server are forgotten.
 */
export async function fetchPop3(
	account: InboundAccount,
	opts: { afterStore?: (stored: number) => void | Promise<void>; signal?: AbortSignal } = {}
): Promise<Pop3Result> {
	const keep = account.afterImport === 'KEEP';
	const pop = new Pop3(settingsOf(account));
	const result: Pop3Result = { fetched: 0, imported: 0 };
	try {
		const list = uidlsOf(await pop.UIDL());
		const seen = keep
			? await seenUidls(
					account.id,
					list.map(([, u]) => u)
				)
			: new Set<string>();
		for (const [n, uidl] of list) {
			if (opts.signal?.aborted) break;
			if (seen.has(uidl)) continue;
			const r = await storeRaw(await pop.retrieve(n), { channel: 'POP3', accountId: account.id });
			result.fetched++;
			if (!r.duplicate) result.imported++;
			await opts.afterStore?.(result.fetched);
			if (keep)
				await db().pop3Seen.createMany({
					data: [{ accountId: account.id, uidl }],
					skipDuplicates: true
				});
			else await pop.DELE(Number(n));
			await processInbound(r.id);
		}
		if (keep && !opts.signal?.aborted)
			await db().$executeRaw`
				DELETE FROM "Pop3Seen" WHERE "accountId" = ${account.id}::uuid
					AND NOT (uidl = ANY(${list.map(([, u]) => u)}::text[]))`;
		await pop.QUIT();
		return result;
	} finally {
		pop.close();
	}
}

/** The admin's "test connection": the message count, or the server's own error message. */
export async function testPop3(
	s: ServerSettings
): Promise<{ ok: true; messages: number } | { ok: false; error: string }> {
	const pop = new Pop3(s);
	try {
		const stat = await pop.STAT();
		await pop.QUIT();
		return { ok: true, messages: Number(stat.split(' ')[0]) || 0 };
	} catch (err) {
		return { ok: false, error: describeError(err) };
	} finally {
		pop.close();
	}
}
