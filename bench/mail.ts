/**
 * The IMAP intake benchmark (BENCH_ONLY=mail npm run bench, or alone: `npx tsx bench/mail.ts`):
 * delivers BENCH_MAIL_N messages (default 10,000; each from its own sender, so none is held by
 * the per-sender limit) into a throwaway Dovecot (tests/helpers/dovecot.ts), then times one
 * fetchImap pass end to end — fetch, store, mark seen, turn into a ticket — against a fresh
 * embedded PostgreSQL in .bench-data/mail-<N>. Reports messages per second and the process's
 * resident memory before, at its peak and along the way (it should stay flat: the mailbox is read
 * in small UID batches, never whole).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmbedded } from '../src/lib/server/db/embedded';
import { migrate } from '../src/lib/server/db/migrate';
import type { Row } from './lib/measure';

const N = Number(process.env.BENCH_MAIL_N ?? 10_000);
const BATCH = Number(process.env.BENCH_MAIL_BATCH ?? 50);
const log = (msg: string) => console.log(`[mail] ${msg}`);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function message(i: number): Buffer {
	const body = `Hello,\r\n\r\nmy laptop number ${i} does not start since this morning.\r\n`.repeat(
		8
	);
	return Buffer.from(
		[
			`From: Bench Sender ${i} <sender${i}-${randomUUID().slice(0, 6)}@bench.example>`,
			'To: support@bench.example',
			`Subject: Laptop ${i} does not start`,
			'Date: Sat, 05 Dec 2026 10:00:00 +0000',
			`Message-ID: <${randomUUID()}@bench.example>`,
			'MIME-Version: 1.0',
			'Content-Type: text/plain; charset=utf-8',
			'',
			body
		].join('\r\n')
	);
}

export async function runMailBench(): Promise<Row[]> {
	const dir = resolve(process.env.BENCH_MAIL_DATA_DIR ?? `.bench-data/mail-${N}`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const embedded = await startEmbedded(dir);
	process.env.DATABASE_URL = embedded.url;
	process.env.ENCRYPTION_KEY ??= 'bench-mail-key';
	process.env.LOG_LEVEL ??= 'silent';
	await migrate(embedded.url);
	const { db, disconnectDb } = await import('../src/lib/server/db/client');
	const { closePgPool } = await import('../src/lib/server/db/pool');
	const { encryptSecret } = await import('../src/lib/server/mail/secrets');
	const { fetchImap } = await import('../src/lib/server/mail/imap');
	const { startDovecot } = await import('../tests/helpers/dovecot');
	const dovecot = await startDovecot();
	try {
		dovecot.addUser('bench');
		let t = performance.now();
		for (let i = 0; i < N; i++) dovecot.deliver('bench', message(i));
		log(
			`delivered ${N.toLocaleString('en')} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`
		);
		const account = await db().mailAccount.create({
			data: {
				name: 'Bench',
				address: 'support@bench.example',
				inbound: 'IMAP',
				host: dovecot.host,
				port: dovecot.imapPort,
				tls: false,
				username: 'bench',
				passwordEnc: encryptSecret('secret'),
				afterImport: 'SEEN',
				webhookSecret: randomUUID()
			}
		});

		global.gc?.();
		const before = process.memoryUsage().rss;
		let peak = before;
		const sampler = setInterval(() => {
			peak = Math.max(peak, process.memoryUsage().rss);
		}, 50);
		const along: string[] = [];
		t = performance.now();
		const result = await fetchImap(account, {
			batchSize: BATCH,
			afterStore: (n) => {
				if (n % Math.max(1, Math.floor(N / 5)) === 0)
					along.push(`${n}: ${mb(process.memoryUsage().rss)} MB`);
			}
		});
		const seconds = (performance.now() - t) / 1000;
		clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage().rss);

		const tickets = await db().inboundMail.count({
			where: { accountId: account.id, status: 'PROCESSED', ticketId: { not: null } }
		});
		const unseen = dovecot.messages('bench').filter((m) => !m.seen).length;
		const row: Row = {
			name: `IMAP import of ${N.toLocaleString('en')} messages (fetch, store, mark seen, ticket)`,
			p50: `${((1000 * seconds) / Math.max(1, N)).toFixed(2)} ms/message`,
			p95: '-',
			perSecond: Math.round(result.fetched / seconds),
			seconds: Number(seconds.toFixed(1)),
			fetched: result.fetched,
			tickets,
			leftUnseenOnServer: unseen,
			rssBeforeMb: mb(before),
			rssPeakMb: mb(peak),
			rssAlong: along
		};
		console.log(JSON.stringify(row));
		if (tickets !== N || unseen !== 0) throw new Error('not every message became one ticket');
		return [row];
	} finally {
		await dovecot.stop();
		await disconnectDb();
		await closePgPool();
		await embedded.stop();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	runMailBench().then(
		() => process.exit(0),
		(err: unknown) => {
			console.error(err);
			process.exit(1);
		}
	);
}
