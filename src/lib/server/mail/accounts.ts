import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { audit } from '../audit';
import { db } from '../db/client';
import { AppError, notFound, parseFields } from '../errors';
import type { Actor } from '../identity/users';
import { testImap } from './imap';
import { testPop3 } from './pop3';
import { decryptSecret, encryptSecret } from './secrets';
import { testSmtp, transportFor } from './sender';

/**
 * Mail accounts (Admin → Mail): inbound (IMAP, POP3, our SMTP listener, the inbound webhook) and
 * outbound SMTP per account, passwords encrypted at rest and never sent back to the browser
 * (`hasPassword` instead; an empty password field keeps the stored one).
 */
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, `At most ${max} characters.`)
		.nullish()
		.transform((v) => v || null);
const port = z
	.number({ error: 'Enter a port number.' })
	.int('Enter a port number.')
	.min(1, 'Ports are 1–65535.')
	.max(65535, 'Ports are 1–65535.')
	.nullish()
	.transform((v) => v ?? null);

export const accountSchema = z
	.object({
		name: z
			.string({ error: 'Name is required.' })
			.trim()
			.min(1, 'Name is required.')
			.max(80, 'At most 80 characters.'),
		address: z.email({ error: 'Enter the email address people write to.' }).trim().toLowerCase(),
		active: z.boolean().default(true),
		inbound: z.enum(['NONE', 'IMAP', 'POP3', 'SMTP', 'WEBHOOK'], {
			error: 'Choose how mail arrives.'
		}),
		host: optionalText(255),
		port,
		tls: z.boolean().default(true),
		username: optionalText(255),
		/** Empty or absent: keep the stored password. */
		password: z.string().max(1000).optional(),
		folder: z.string().trim().min(1, 'Name the folder to watch.').max(255).default('INBOX'),
		afterImport: z.enum(['SEEN', 'MOVE', 'DELETE', 'KEEP']).default('SEEN'),
		moveTo: optionalText(255),
		pollSeconds: z
			.number()
			.int()
			.min(10, 'At least 10 seconds.')
			.max(3600, 'At most an hour.')
			.default(60),
		groupId: z
			.uuid({ error: 'Choose a group.' })
			.nullish()
			.transform((v) => v ?? null),
		typeId: z
			.uuid({ error: 'Choose a type.' })
			.nullish()
			.transform((v) => v ?? null),
		priority: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).default('MEDIUM'),
		smtpHost: optionalText(255),
		smtpPort: port,
		smtpSecurity: z.enum(['none', 'starttls', 'tls']).default('starttls'),
		smtpUsername: optionalText(255),
		smtpPassword: z.string().max(1000).optional()
	})
	.superRefine((a, ctx) => {
		const at = (path: string, message: string) =>
			ctx.addIssue({ code: 'custom', path: [path], message });
		if (a.inbound === 'IMAP' || a.inbound === 'POP3') {
			if (!a.host) at('host', 'Enter the server name.');
			if (!a.username) at('username', 'Enter the user name.');
			const allowed = a.inbound === 'IMAP' ? ['SEEN', 'MOVE', 'DELETE'] : ['DELETE', 'KEEP'];
			if (!allowed.includes(a.afterImport))
				at(
					'afterImport',
					a.inbound === 'IMAP' ? 'Mark seen, move or delete.' : 'Delete or keep on the server.'
				);
			if (a.inbound === 'IMAP' && a.afterImport === 'MOVE' && !a.moveTo)
				at('moveTo', 'Name the folder to move mail to.');
		}
		if ((a.smtpUsername || a.smtpPort) && !a.smtpHost) at('smtpHost', 'Enter the outgoing server.');
	});
export type AccountInput = z.input<typeof accountSchema>;

const select = {
	id: true,
	name: true,
	address: true,
	active: true,
	inbound: true,
	host: true,
	port: true,
	tls: true,
	username: true,
	passwordEnc: true,
	folder: true,
	afterImport: true,
	moveTo: true,
	pollSeconds: true,
	webhookSecret: true,
	groupId: true,
	typeId: true,
	priority: true,
	smtpHost: true,
	smtpPort: true,
	smtpSecurity: true,
	smtpUsername: true,
	smtpPasswordEnc: true,
	lastCheckedAt: true,
	lastError: true,
	createdAt: true
} as const;

type Row = { passwordEnc: string | null; smtpPasswordEnc: string | null } & Record<string, unknown>;
const view = <T extends Row>({ passwordEnc, smtpPasswordEnc, ...rest }: T) => ({
	...rest,
	hasPassword: !!passwordEnc,
	hasSmtpPassword: !!smtpPasswordEnc
});

export async function listAccounts() {
	const rows = await db().mailAccount.findMany({ select, orderBy: { name: 'asc' } });
	const failed = await db().inboundMail.groupBy({
		by: ['accountId'],
		where: { status: 'FAILED' },
		_count: { _all: true }
	});
	return rows.map((r) => ({
		...view(r),
		failed: failed.find((f) => f.accountId === r.id)?._count._all ?? 0
	}));
}

export async function getAccount(id: string) {
	const row = await db().mailAccount.findUnique({ where: { id }, select });
	if (!row) throw notFound('Mail account not found.');
	return view(row);
}

async function unique(address: string, name: string, except?: string) {
	const other = await db().mailAccount.findFirst({
		where: {
			OR: [{ address }, { name: { equals: name, mode: 'insensitive' } }],
			...(except ? { id: { not: except } } : {})
		},
		select: { address: true }
	});
	if (!other) return;
	const field = other.address === address ? 'address' : 'name';
	const message =
		field === 'address' ? 'Another account has this address.' : 'Another account has this name.';
	throw new AppError('BAD_REQUEST', message, { [field]: [message] });
}

function data(a: z.output<typeof accountSchema>) {
	const { password, smtpPassword, ...rest } = a;
	return {
		...rest,
		...(password ? { passwordEnc: encryptSecret(password) } : {}),
		...(smtpPassword ? { smtpPasswordEnc: encryptSecret(smtpPassword) } : {})
	};
}

export async function createAccount(actor: Actor, input: unknown) {
	const a = parseFields(accountSchema, input, 'mail account');
	if ((a.inbound === 'IMAP' || a.inbound === 'POP3') && !a.password) {
		throw new AppError('BAD_REQUEST', 'Enter the password.', { password: ['Enter the password.'] });
	}
	await unique(a.address, a.name);
	return db().$transaction(async (tx) => {
		const row = await tx.mailAccount.create({
			data: { ...data(a), webhookSecret: randomBytes(24).toString('base64url') },
			select: { id: true }
		});
		await audit(tx, {
			actorId: actor.id,
			action: 'mail.account.create',
			entityType: 'MailAccount',
			entityId: row.id,
			data: { address: a.address },
			ip: actor.ip
		});
		return row;
	});
}

export async function updateAccount(actor: Actor, id: string, input: unknown) {
	const a = parseFields(accountSchema, input, 'mail account');
	const current = await db().mailAccount.findUnique({
		where: { id },
		select: { passwordEnc: true }
	});
	if (!current) throw notFound('Mail account not found.');
	if ((a.inbound === 'IMAP' || a.inbound === 'POP3') && !a.password && !current.passwordEnc) {
		throw new AppError('BAD_REQUEST', 'Enter the password.', { password: ['Enter the password.'] });
	}
	await unique(a.address, a.name, id);
	await db().$transaction(async (tx) => {
		await tx.mailAccount.update({ where: { id }, data: { ...data(a), lastError: null } });
		await audit(tx, {
			actorId: actor.id,
			action: 'mail.account.update',
			entityType: 'MailAccount',
			entityId: id,
			ip: actor.ip
		});
	});
}

export async function deleteAccount(actor: Actor, id: string) {
	await db().$transaction(async (tx) => {
		const res = await tx.mailAccount.deleteMany({ where: { id } });
		if (!res.count) throw notFound('Mail account not found.');
		await audit(tx, {
			actorId: actor.id,
			action: 'mail.account.delete',
			entityType: 'MailAccount',
			entityId: id,
			ip: actor.ip
		});
	});
}

export async function rotateWebhookSecret(actor: Actor, id: string) {
	const secret = randomBytes(24).toString('base64url');
	const res = await db().mailAccount.updateMany({ where: { id }, data: { webhookSecret: secret } });
	if (!res.count) throw notFound('Mail account not found.');
	await audit(db(), {
		actorId: actor.id,
		action: 'mail.account.rotate-secret',
		entityType: 'MailAccount',
		entityId: id,
		ip: actor.ip
	});
	return { webhookSecret: secret };
}

/** The form's settings, with the stored password when none was typed. */
async function settingsFor(id: string | undefined, input: unknown) {
	const a = parseFields(accountSchema, input, 'mail account');
	const stored = id
		? await db().mailAccount.findUnique({
				where: { id },
				select: { passwordEnc: true, smtpPasswordEnc: true }
			})
		: null;
	return {
		a,
		password: a.password || (stored?.passwordEnc ? decryptSecret(stored.passwordEnc) : ''),
		smtpPasswordEnc: stored?.smtpPasswordEnc ?? null
	};
}

/** "Test connection" for inbound IMAP/POP3, with what the form holds now. */
export async function testInbound(id: string | undefined, input: unknown) {
	const { a, password } = await settingsFor(id, input);
	if (a.inbound !== 'IMAP' && a.inbound !== 'POP3')
		throw new AppError('BAD_REQUEST', 'Only IMAP and POP3 accounts connect to a server.');
	const s = { host: a.host!, port: a.port, tls: a.tls, username: a.username!, password };
	return a.inbound === 'IMAP' ? testImap(s) : testPop3(s);
}

/** "Test connection" for outbound SMTP. */
export async function testOutbound(id: string | undefined, input: unknown) {
	const { a, smtpPasswordEnc } = await settingsFor(id, input);
	if (!a.smtpHost)
		throw new AppError('BAD_REQUEST', 'Enter the outgoing server.', {
			smtpHost: ['Enter the outgoing server.']
		});
	return testSmtp({ ...a, smtpPassword: a.smtpPassword || null, smtpPasswordEnc });
}

/** "Send test email": a real message through the saved account; the server's answer either way. */
export async function sendTestMail(id: string, to: string) {
	const email = z.email({ error: 'Enter an email address.' }).safeParse(to.trim());
	if (!email.success)
		throw new AppError('BAD_REQUEST', 'Enter an email address.', {
			to: ['Enter an email address.']
		});
	const account = await db().mailAccount.findUnique({ where: { id } });
	if (!account) throw notFound('Mail account not found.');
	if (!account.smtpHost) throw new AppError('BAD_REQUEST', 'This account has no outgoing server.');
	const transport = transportFor(account);
	try {
		const info = await transport.sendMail({
			from: { name: account.name, address: account.address },
			to: email.data,
			subject: 'Test email from the helpdesk',
			text: `This is a test from the mail account "${account.name}". If you can read it, sending works.`,
			headers: { 'Auto-Submitted': 'auto-generated' }
		});
		return { ok: true as const, response: String(info.response ?? 'accepted') };
	} catch (err) {
		const e = err as Error & { response?: string };
		return { ok: false as const, error: e.response ?? e.message };
	} finally {
		transport.close();
	}
}
