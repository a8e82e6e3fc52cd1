import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { receiveMail } from '../../src/lib/server/mail/ingest';
import { rawInbound } from '../../src/lib/server/mail/failed';
import { decryptSecret } from '../../src/lib/server/mail/secrets';
import { useOwnDatabase } from '../helpers/database';
import { auditOf, callerAs, makeUser } from '../helpers/factories';
import { mime, uniqueAddress } from '../helpers/mail';
import { errorShape, expectCode } from '../helpers/trpc';

/** Mail accounts that send are global: this file has a database of its own. */
let restore: () => Promise<void>;
let smtp: SMTPServer;
let port: number;
let received = 0;
beforeAll(async () => {
	({ restore } = await useOwnDatabase());
	smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, _s, cb) {
			stream.resume();
			stream.on('end', () => {
				received++;
				cb();
			});
		}
	});
	await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
	port = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
	await new Promise<void>((ok) => smtp.close(() => ok()));
	await restore();
});

async function admin() {
	return callerAs(await makeUser({ role: 'ADMIN' })).mail;
}

const imap = (extra: Record<string, unknown> = {}) => ({
	name: `Support ${Math.random().toString(36).slice(2, 7)}`,
	address: uniqueAddress('support'),
	inbound: 'IMAP',
	host: '127.0.0.1',
	port: 1,
	tls: false,
	username: 'support',
	password: 'hunter2',
	afterImport: 'SEEN',
	...extra
});

async function fields(promise: Promise<unknown>) {
	return errorShape(await expectCode(promise, 'BAD_REQUEST'), 'mail').data.fields ?? {};
}

describe('mail admin', () => {
	it('only admins manage mail', async () => {
		for (const role of ['IT_MANAGER', 'AGENT'] as const) {
			const api = callerAs(await makeUser({ role })).mail;
			await expectCode(api.accounts.list(), 'FORBIDDEN');
			await expectCode(api.inbound.list(), 'FORBIDDEN');
		}
	});

	it('stores passwords encrypted, never shows them, keeps them when the field is left empty', async () => {
		const api = await admin();
		const { id } = await api.accounts.create(
			imap({
				smtpHost: '127.0.0.1',
				smtpPort: port,
				smtpSecurity: 'none',
				smtpPassword: 'smtp-pass',
				smtpUsername: 'u'
			})
		);
		const row = await db().mailAccount.findUniqueOrThrow({ where: { id } });
		expect(row.passwordEnc).not.toContain('hunter2');
		expect(decryptSecret(row.passwordEnc!)).toBe('hunter2');
		expect(decryptSecret(row.smtpPasswordEnc!)).toBe('smtp-pass');
		const shown = await api.accounts.get({ id });
		expect(shown).not.toHaveProperty('passwordEnc');
		expect(shown).toMatchObject({ hasPassword: true, hasSmtpPassword: true });
		expect(JSON.stringify(await api.accounts.list())).not.toContain(row.passwordEnc!);

		await api.accounts.update({
			id,
			draft: { ...imap({ address: row.address, name: row.name }), password: '' }
		});
		const after = await db().mailAccount.findUniqueOrThrow({ where: { id } });
		expect(decryptSecret(after.passwordEnc!)).toBe('hunter2');
		expect((await auditOf(id)).map((a) => a.action)).toEqual([
			'mail.account.create',
			'mail.account.update'
		]);

		const { webhookSecret } = await api.accounts.rotateWebhookSecret({ id });
		expect(webhookSecret).not.toBe(row.webhookSecret);
		await api.accounts.delete({ id });
		await expectCode(api.accounts.get({ id }), 'NOT_FOUND');
	});

	it('says what is missing, field by field', async () => {
		const api = await admin();
		expect(
			await fields(api.accounts.create({ inbound: 'IMAP', name: '', address: 'nope' }))
		).toMatchObject({
			name: ['Name is required.'],
			address: ['Enter the email address people write to.'],
			host: ['Enter the server name.'],
			username: ['Enter the user name.']
		});
		expect(await fields(api.accounts.create(imap({ afterImport: 'MOVE' })))).toEqual({
			moveTo: ['Name the folder to move mail to.']
		});
		expect(
			await fields(api.accounts.create(imap({ inbound: 'POP3', afterImport: 'SEEN' })))
		).toEqual({
			afterImport: ['Delete or keep on the server.']
		});
		expect(await fields(api.accounts.create(imap({ password: '' })))).toEqual({
			password: ['Enter the password.']
		});
		const taken = imap();
		await api.accounts.create(taken);
		expect(await fields(api.accounts.create(imap({ address: taken.address })))).toEqual({
			address: ['Another account has this address.']
		});
	});

	it('test buttons show the server’s own answer; a test mail really goes out', async () => {
		const api = await admin();
		const inbound = await api.accounts.testInbound({ draft: imap() });
		expect(inbound.ok).toBe(false);
		expect((inbound as { error: string }).error).toMatch(/ECONNREFUSED|connect/i);
		const outbound = await api.accounts.testOutbound({
			draft: imap({ smtpHost: '127.0.0.1', smtpPort: port, smtpSecurity: 'none' })
		});
		expect(outbound).toEqual({ ok: true });

		const { id } = await api.accounts.create(
			imap({ smtpHost: '127.0.0.1', smtpPort: port, smtpSecurity: 'none' })
		);
		const before = received;
		const sent = await api.accounts.sendTest({ id, to: 'me@example.com' });
		expect(sent.ok).toBe(true);
		expect(received).toBe(before + 1);
		expect(await fields(api.accounts.sendTest({ id, to: 'not an address' }))).toEqual({
			to: ['Enter an email address.']
		});
	});

	it('the failed list: retry imports, discard removes, the raw message stays downloadable', async () => {
		const api = await admin();
		const from = uniqueAddress('runaway');
		process.env.MAIL_MAX_BYTES = '1500';
		let id: string;
		try {
			const big = await receiveMail(mime({ from, body: 'x'.repeat(3000) }), {
				channel: 'WEBHOOK',
				accountId: null
			});
			id = big.id;
		} finally {
			delete process.env.MAIL_MAX_BYTES;
		}
		const list = await api.inbound.list({ status: 'FAILED' });
		expect(list.find((m) => m.id === id)).toMatchObject({
			fromAddress: from,
			reason: expect.stringContaining('Larger than')
		});
		expect((await rawInbound(id)).raw.toString()).toContain('xxxx');
		// The admin decides it is fine: imported now.
		const outcome = await api.inbound.retry({ id });
		expect(outcome).toMatchObject({ status: 'PROCESSED', created: true });
		await expectCode(api.inbound.retry({ id }), 'NOT_FOUND');

		const ignored = await receiveMail(
			mime({ from, headers: { 'Auto-Submitted': 'auto-replied' } }),
			{ channel: 'SMTP', accountId: null }
		);
		expect((await api.inbound.list({ status: 'IGNORED' })).some((m) => m.id === ignored.id)).toBe(
			true
		);
		await expectCode(api.inbound.retry({ id: ignored.id }), 'CONFLICT');
		await api.inbound.discard({ id: ignored.id });
		expect(await db().inboundMail.count({ where: { id: ignored.id } })).toBe(0);
	});

	it('templates: edit, list shows the change, reset returns the default', async () => {
		const api = await admin();
		expect(
			await fields(api.templates.save({ key: 'ticket.created', subject: '', body: 'x' }))
		).toEqual({
			subject: ['The subject is required.']
		});
		await api.templates.save({
			key: 'ticket.created',
			subject: 'Got it: {{ticket.subject}}',
			body: 'Thanks!'
		});
		const list = await api.templates.list();
		expect(list.find((t) => t.key === 'ticket.created')).toMatchObject({
			subject: 'Got it: {{ticket.subject}}',
			custom: true
		});
		await api.templates.reset({ key: 'ticket.created' });
		expect((await api.templates.list()).find((t) => t.key === 'ticket.created')!.custom).toBe(
			false
		);
	});
});
