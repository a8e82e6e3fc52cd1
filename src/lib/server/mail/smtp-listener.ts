import type { AddressInfo } from 'node:net';
import {
	SMTPServer,
	type SMTPServerAddress,
	type SMTPServerDataStream,
	type SMTPServerSession
} from 'smtp-server';
import { db } from '../db/client';
import { log } from '../log';
import { processInbound } from './ingest';
import type { Actor } from '../identity/users';
import {
	getSmtpListenerSettings,
	readTlsFiles,
	setSmtpListenerSettings,
	type SmtpListenerSettings
} from './listener-settings';
import { storeRaw } from './receive';

/**
 * The SMTP listener organisations forward mail to (MailAccount.inbound = SMTP). No AUTH: it is
 * an MX-style receiver, so it takes mail only for our own mailboxes — active SMTP accounts and
 * their plus-addresses (support+t1042-…@) in the accepted domains — and refuses anyone else at
 * RCPT time, which makes it useless as a relay. A message is answered 250 only once it is stored
 * (InboundMail): a crash after that loses nothing (processPending retries the import), a database
 * failure before it is a 451 and the sending MTA retries.
 */
export interface SmtpListener {
	host: string;
	port: number;
	close(): Promise<void>;
}

const MAX_CLIENTS = 100;
const MAX_RECIPIENTS = 50;
const SOCKET_TIMEOUT_MS = 60_000;
const CLOSE_TIMEOUT_MS = 5_000;

type Refusal = Error & { responseCode: number };
const refuse = (responseCode: number, message: string): Refusal =>
	Object.assign(new Error(message), { responseCode });
const temporary = () => refuse(451, '4.3.0 Temporary failure here, please try again later');

/** The active SMTP account an address belongs to (exactly, or as a plus-address of it). */
export async function smtpAccountFor(
	address: string,
	domains: string[] | null
): Promise<{ id: string; address: string } | null> {
	const lower = address.trim().toLowerCase();
	const at = lower.lastIndexOf('@');
	if (at <= 0 || at === lower.length - 1) return null;
	const local = lower.slice(0, at);
	const domain = lower.slice(at + 1);
	if (domains && !domains.includes(domain)) return null;
	const plus = local.indexOf('+');
	const candidates = plus > 0 ? [lower, `${local.slice(0, plus)}@${domain}`] : [lower];
	const rows = await db().mailAccount.findMany({
		where: {
			active: true,
			inbound: 'SMTP',
			OR: candidates.map((a) => ({ address: { equals: a, mode: 'insensitive' as const } }))
		},
		select: { id: true, address: true }
	});
	return rows.find((r) => r.address.toLowerCase() === lower) ?? rows[0] ?? null;
}

/** smtp-server's bunyan-style calls, at debug (connections, commands), warn and error as such. */
function smtpLogger() {
	const child = log.child({ component: 'smtp' });
	const at =
		(level: 'debug' | 'warn' | 'error') =>
		(...args: unknown[]) => {
			const [meta, ...rest] = args;
			if (meta && typeof meta === 'object') child[level](meta as object, ...(rest as [string]));
			else child[level](...(args as [string]));
		};
	return {
		level: () => undefined,
		trace: at('debug'),
		debug: at('debug'),
		info: at('debug'),
		warn: at('warn'),
		error: at('error'),
		fatal: at('error')
	};
}

export async function startSmtpListener(settings: SmtpListenerSettings): Promise<SmtpListener> {
	const tls = readTlsFiles(settings.tlsCert, settings.tlsKey);
	if (Object.keys(tls.fields).length)
		throw new Error(`SMTP listener TLS: ${Object.values(tls.fields).flat().join(' ')}`);
	const accounts = new WeakMap<SMTPServerAddress, string>();
	const limit = settings.maxBytes;

	const server = new SMTPServer({
		name: 'itsm-helpdesk',
		banner: 'itsm-helpdesk mail intake',
		authOptional: true,
		disabledCommands: tls.cert ? ['AUTH'] : ['AUTH', 'STARTTLS'],
		...(tls.cert ? { cert: tls.cert, key: tls.key } : {}),
		size: limit,
		rejectOversized: true,
		maxClients: MAX_CLIENTS,
		maxRecipients: MAX_RECIPIENTS,
		socketTimeout: SOCKET_TIMEOUT_MS,
		closeTimeout: CLOSE_TIMEOUT_MS,
		disableReverseLookup: true,
		logger: smtpLogger(),

		onRcptTo(address, _session, callback) {
			smtpAccountFor(address.address, settings.domains).then(
				(account) => {
					if (!account)
						return callback(refuse(550, `5.1.1 <${address.address}>: no such mailbox here`));
					accounts.set(address, account.id);
					callback();
				},
				(err: unknown) => {
					log.warn({ err }, 'smtp: recipient lookup failed');
					callback(temporary());
				}
			);
		},

		onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
			const chunks: Buffer[] = [];
			let bytes = 0;
			stream.on('data', (chunk: Buffer) => {
				bytes += chunk.length;
				if (bytes <= limit) chunks.push(chunk);
			});
			stream.once('error', (err) => callback(err));
			stream.once('end', () => {
				if (stream.sizeExceeded) {
					callback(refuse(552, `5.3.4 Message too big: the limit here is ${limit} bytes`));
					return;
				}
				const accountId =
					session.envelope.rcptTo.map((a) => accounts.get(a)).find((id) => !!id) ?? null;
				deliver(Buffer.concat(chunks), accountId).then(
					(id) => callback(null, `2.0.0 OK: queued as ${id}`),
					(err: unknown) => {
						log.error({ err }, 'smtp: could not store a message');
						callback(temporary());
					}
				);
			});
		}
	});
	server.on('error', (err) => log.warn({ err }, 'smtp: connection error'));

	await new Promise<void>((resolve, reject) => {
		const onError = (err: Error) => reject(err);
		server.server.once('error', onError);
		server.listen(settings.port, settings.host, () => {
			server.server.off('error', onError);
			resolve();
		});
	});
	const { port } = server.server.address() as AddressInfo;
	log.info(
		{ host: settings.host, port, starttls: !!tls.cert, maxBytes: limit },
		'smtp listener started'
	);
	let closing: Promise<void> | undefined;
	return {
		host: settings.host,
		port,
		close() {
			closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
			return closing;
		}
	};
}

/** Stores the message (the 250 waits for this), then imports it; a failed import is retried later. */
async function deliver(raw: Buffer, accountId: string | null): Promise<string> {
	const received = await storeRaw(raw, { channel: 'SMTP', accountId });
	if (!received.duplicate) {
		await processInbound(received.id).catch((err: unknown) =>
			log.warn({ err, inbound: received.id }, 'smtp: import failed, left for the retry pass')
		);
	}
	return received.id;
}

const holder = globalThis as unknown as { __itsmSmtp?: Promise<SmtpListener | null> };

/**
 * Starts the listener when its settings say so (runtime.ts, at app start). A listener that cannot
 * start (port taken, unreadable certificate) is logged and the app runs on without it.
 */
export function startConfiguredSmtpListener(): Promise<SmtpListener | null> {
	holder.__itsmSmtp ??= (async () => {
		try {
			const settings = await getSmtpListenerSettings();
			return settings.enabled ? await startSmtpListener(settings) : null;
		} catch (err) {
			log.error({ err }, 'smtp listener not started');
			return null;
		}
	})();
	return holder.__itsmSmtp;
}

export async function stopSmtpListener(): Promise<void> {
	const running = holder.__itsmSmtp;
	holder.__itsmSmtp = undefined;
	await (await running)?.close();
}

/** Applies changed settings (after setSmtpListenerSettings) to this instance's listener. */
export async function restartSmtpListener(): Promise<SmtpListener | null> {
	await stopSmtpListener();
	return startConfiguredSmtpListener();
}

/** Admin → Mail: stores the listener settings and applies them to this instance's listener. */
export async function saveSmtpListenerSettings(actor: Actor, input: unknown) {
	const settings = await setSmtpListenerSettings(actor, input);
	await restartSmtpListener();
	return settings;
}
