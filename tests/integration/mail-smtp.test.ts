import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { AppError } from '../../src/lib/server/errors';
import {
	acceptedDomains,
	getSmtpListenerSettings,
	setSmtpListenerSettings,
	SMTP_LISTENER_KEY,
	type SmtpListenerSettings
} from '../../src/lib/server/mail/listener-settings';
import {
	restartSmtpListener,
	startConfiguredSmtpListener,
	startSmtpListener,
	stopSmtpListener,
	type SmtpListener
} from '../../src/lib/server/mail/smtp-listener';
import { makeGroup } from '../helpers/factories';
import { makeAccount, uniqueAddress } from '../helpers/mail';

// storeRaw as it is, except when a test makes the next call fail like an unreachable database.
const failStore = vi.hoisted(() => ({ next: false }));
vi.mock('../../src/lib/server/mail/receive', async (original) => {
	const mod = await original<typeof import('../../src/lib/server/mail/receive')>();
	return {
		...mod,
		storeRaw: (...args: Parameters<typeof mod.storeRaw>) => {
			if (failStore.next) {
				failStore.next = false;
				return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
			}
			return mod.storeRaw(...args);
		}
	};
});

const LIMIT = 64 * 1024;
const base: SmtpListenerSettings = {
	enabled: true,
	host: '127.0.0.1',
	port: 0,
	domains: null,
	maxBytes: LIMIT,
	tlsCert: null,
	tlsKey: null
};

let listener: SmtpListener;
const dir = mkdtempSync(join(tmpdir(), 'smtp-test-'));

beforeAll(async () => {
	listener = await startSmtpListener(base);
});
afterAll(async () => {
	await listener?.close();
	await stopSmtpListener();
	await db().setting.deleteMany({ where: { key: SMTP_LISTENER_KEY } });
	rmSync(dir, { recursive: true, force: true });
});

const transport = (port: number, tls: 'none' | 'required' = 'none') =>
	nodemailer.createTransport({
		host: '127.0.0.1',
		port,
		secure: false,
		...(tls === 'none' ? { ignoreTLS: true } : { requireTLS: true }),
		tls: { rejectUnauthorized: false }
	});

interface Sent {
	subject: string;
	from: string;
	info: { accepted: unknown[]; rejected: unknown[]; response: string };
}

async function send(
	to: string | string[],
	opts: { port?: number; tls?: 'none' | 'required'; text?: string; subject?: string } = {}
): Promise<Sent> {
	const subject = opts.subject ?? `Printer jam ${randomUUID().slice(0, 8)}`;
	const from = uniqueAddress('sender');
	const t = transport(opts.port ?? listener.port, opts.tls);
	try {
		const info = (await t.sendMail({
			from: `Sam Sender <${from}>`,
			to,
			subject,
			text: opts.text ?? 'The printer on floor 2 jams on every page.'
		})) as Sent['info'];
		return { subject, from, info };
	} finally {
		t.close();
	}
}

/** What nodemailer rejected with: the SMTP reply code and text. */
async function refusal(p: Promise<unknown>) {
	const err = (await p.then(
		() => null,
		(e: unknown) => e
	)) as { responseCode?: number; response?: string } | null;
	expect(err, 'the send should have been refused').not.toBeNull();
	return { code: err!.responseCode, response: err!.response ?? '' };
}

const ticketBySubject = (subject: string) =>
	db().ticket.findFirst({ where: { subject }, include: { requester: true } });
const storedWith = (subject: string) => db().inboundMail.findMany({ where: { subject } });

describe('SMTP listener', () => {
	it('a message to an SMTP account becomes a ticket before the 250, with the account defaults', async () => {
		const group = await makeGroup();
		const account = await makeAccount({ groupId: group.id, priority: 'HIGH' });
		const { subject, from, info } = await send(account.address);
		expect(info.response).toMatch(/^250 /);
		const ticket = await ticketBySubject(subject);
		expect(ticket).toMatchObject({ source: 'EMAIL', groupId: group.id, priority: 'HIGH' });
		expect(ticket?.requester.email).toBe(from);
		expect(await storedWith(subject)).toMatchObject([
			{ channel: 'SMTP', accountId: account.id, status: 'PROCESSED', ticketId: ticket!.id }
		]);
	});

	it('a plus-address of an account (support+anything@) is that account, in any letter case', async () => {
		const group = await makeGroup();
		const account = await makeAccount({ groupId: group.id });
		const [local, domain] = account.address.split('@');
		const { subject } = await send(`${local!.toUpperCase()}+printers@${domain}`);
		expect((await ticketBySubject(subject))?.groupId).toBe(group.id);
		expect((await storedWith(subject))[0]?.accountId).toBe(account.id);
	});

	it('an unknown, inactive or non-SMTP recipient is refused at RCPT with 550 5.1.1; nothing is stored', async () => {
		const inactive = await makeAccount({ active: false });
		const webhook = await makeAccount({ inbound: 'WEBHOOK' });
		for (const to of [uniqueAddress('nobody'), inactive.address, webhook.address]) {
			const subject = `Refused ${randomUUID()}`;
			const r = await refusal(send(to, { subject }));
			expect(r.code).toBe(550);
			expect(r.response).toContain(`5.1.1 <${to}>: no such mailbox here`);
			expect(await storedWith(subject)).toEqual([]);
		}
	});

	it('with one known and one unknown recipient only the known one is accepted; one ticket', async () => {
		const account = await makeAccount();
		const stranger = uniqueAddress('stranger');
		const { subject, info } = await send([stranger, account.address]);
		expect(info.accepted).toEqual([account.address]);
		expect(info.rejected).toEqual([stranger]);
		expect(await db().ticket.count({ where: { subject } })).toBe(1);
		expect((await storedWith(subject))[0]?.accountId).toBe(account.id);
	});

	it('a message over the size limit is refused with 552 (SIZE is advertised); nothing is stored', async () => {
		const account = await makeAccount();
		const subject = `Huge ${randomUUID()}`;
		const r = await refusal(send(account.address, { subject, text: 'x'.repeat(LIMIT + 1000) }));
		expect(r.code).toBe(552);
		expect(await storedWith(subject)).toEqual([]);
		// The connection stays usable: the next, normal message goes through.
		const ok = await send(account.address);
		expect(await ticketBySubject(ok.subject)).not.toBeNull();
	});

	it('a database failure while storing is a 451 (the sender retries), and the retry arrives once', async () => {
		const account = await makeAccount();
		const subject = `Retry ${randomUUID()}`;
		failStore.next = true;
		const r = await refusal(send(account.address, { subject }));
		expect(r.code).toBe(451);
		expect(await storedWith(subject)).toEqual([]);
		await send(account.address, { subject });
		expect(await db().ticket.count({ where: { subject } })).toBe(1);
	});

	it('accepted domains narrow what is taken: an account outside them is refused', async () => {
		const account = await makeAccount();
		const narrow = await startSmtpListener({ ...base, domains: ['elsewhere.test'] });
		try {
			const r = await refusal(send(account.address, { port: narrow.port }));
			expect(r.code).toBe(550);
		} finally {
			await narrow.close();
		}
		expect(await acceptedDomains({ ...base, domains: ['elsewhere.test'] })).toEqual([
			'elsewhere.test'
		]);
		// Unset, they are the domains of the active SMTP accounts.
		expect(await acceptedDomains(base)).toContain('mail.test');
	});

	it('without a certificate STARTTLS is not offered: a client that requires TLS gives up', async () => {
		const account = await makeAccount();
		const subject = `Plain ${randomUUID()}`;
		await refusal(send(account.address, { subject, tls: 'required' }));
		expect(await storedWith(subject)).toEqual([]);
	});

	it('with a configured certificate the message arrives over STARTTLS', async () => {
		const cert = join(dir, 'cert.pem');
		const key = join(dir, 'key.pem');
		execFileSync('openssl', [
			'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1',
			'-keyout', key, '-out', cert
		], { stdio: 'ignore' }); // prettier-ignore
		const secure = await startSmtpListener({ ...base, tlsCert: cert, tlsKey: key });
		try {
			const account = await makeAccount();
			const { subject } = await send(account.address, { port: secure.port, tls: 'required' });
			expect(await ticketBySubject(subject)).not.toBeNull();
		} finally {
			await secure.close();
		}
		await expect(startSmtpListener({ ...base, tlsCert: cert, tlsKey: null })).rejects.toThrow(
			/both the certificate and the private key/
		);
	});
});

async function freePort(): Promise<number> {
	const s = createServer();
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
	const { port } = s.address() as AddressInfo;
	await new Promise((r) => s.close(r));
	return port;
}

describe('SMTP listener settings', () => {
	const admin = { id: null };

	it('each invalid field is a 400 with its own message', async () => {
		const err = (await setSmtpListenerSettings(admin, {
			enabled: 'yes',
			host: 'not a host!',
			port: 70000,
			domains: 'demo.test, -bad-',
			maxBytes: 10,
			tlsCert: 42
		}).catch((e: unknown) => e)) as AppError;
		expect(err).toBeInstanceOf(AppError);
		expect(err.code).toBe('BAD_REQUEST');
		expect(err.fields).toMatchObject({
			enabled: ['Choose on or off.'],
			host: [expect.stringContaining('IP address or host name')],
			port: ['Choose a port between 1 and 65535.'],
			domains: ['“-bad-” is not a domain name.'],
			maxBytes: ['The size limit must be at least 1 KB (1024 bytes).'],
			tlsCert: ['The certificate must be a file path.']
		});
		const tls = (await setSmtpListenerSettings(admin, {
			tlsCert: join(dir, 'missing.pem'),
			tlsKey: join(dir, 'missing-key.pem')
		}).catch((e: unknown) => e)) as AppError;
		expect(tls.fields?.tlsCert?.[0]).toMatch(/Cannot read .*missing\.pem: ENOENT/);
		const half = (await setSmtpListenerSettings(admin, {
			tlsCert: join(dir, 'cert.pem')
		}).catch((e: unknown) => e)) as AppError;
		expect(half.fields?.tlsKey).toEqual([
			'Set both the certificate and the private key, or neither.'
		]);
	});

	it('defaults come from the environment; stored values win; the listener starts and restarts from them', async () => {
		process.env.SMTP_LISTEN_PORT = '2599';
		process.env.SMTP_LISTEN_DOMAINS = 'Demo.test, example.test';
		try {
			await db().setting.deleteMany({ where: { key: SMTP_LISTENER_KEY } });
			expect(await getSmtpListenerSettings()).toMatchObject({
				enabled: true,
				host: '127.0.0.1',
				port: 2599,
				domains: ['demo.test', 'example.test'],
				tlsCert: null
			});
		} finally {
			delete process.env.SMTP_LISTEN_PORT;
			delete process.env.SMTP_LISTEN_DOMAINS;
		}
		// No demo data and nothing configured: off.
		expect((await getSmtpListenerSettings()).enabled).toBe(false);
		expect(await startConfiguredSmtpListener()).toBeNull();

		const port = await freePort();
		const saved = await setSmtpListenerSettings(admin, {
			enabled: true,
			port,
			domains: '',
			maxBytes: 2048
		});
		expect(saved).toMatchObject({ enabled: true, port, domains: null, maxBytes: 2048 });
		const audit = await db().auditLog.findFirst({
			where: { entityId: SMTP_LISTENER_KEY },
			orderBy: { createdAt: 'desc' }
		});
		expect(audit?.action).toBe('settings.update');

		const running = await restartSmtpListener();
		expect(running?.port).toBe(port);
		const account = await makeAccount();
		const { subject } = await send(account.address, { port });
		expect(await ticketBySubject(subject)).not.toBeNull();
		const r = await refusal(send(account.address, { port, text: 'y'.repeat(4000) }));
		expect(r.code).toBe(552);

		// A port already taken is logged; the app goes on without a listener.
		await stopSmtpListener();
		const blocker = createServer();
		await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
		try {
			expect(await restartSmtpListener()).toBeNull();
		} finally {
			await new Promise((r) => blocker.close(r));
			await stopSmtpListener();
		}
	});
});
