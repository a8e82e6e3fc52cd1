import nodemailer, { type Transporter } from 'nodemailer';
import { db } from '../db/client';
import { log } from '../log';
import { decryptSecret } from './secrets';
import { replyAddress } from './thread';

/**
 * The `mail.send` job: delivers queued OutboundMail through each account's SMTP server. Due rows
 * are leased (SKIP LOCKED + `leasedUntil`) so two instances never send one mail twice at once;
 * failures retry after 1, 5, 30 and 120 minutes, then the mail is FAILED and the ticket's history
 * says so (the agent sees the requester was not reached).
 */
export const MAIL_JOB = 'mail.send';
export const SEND_BACKOFF_MINUTES = [1, 5, 30, 120] as const;
const MAX_ATTEMPTS = SEND_BACKOFF_MINUTES.length + 1;
const LEASE_MS = 2 * 60_000;
const BATCH = 20;

export interface SmtpSettings {
	smtpHost: string | null;
	smtpPort: number | null;
	smtpSecurity: string;
	smtpUsername: string | null;
	smtpPasswordEnc?: string | null;
	/** A password typed into the form, not yet saved. */
	smtpPassword?: string | null;
}

export function transportFor(s: SmtpSettings): Transporter {
	const pass = s.smtpPassword ?? (s.smtpPasswordEnc ? decryptSecret(s.smtpPasswordEnc) : undefined);
	return nodemailer.createTransport({
		host: s.smtpHost ?? undefined,
		port: s.smtpPort ?? (s.smtpSecurity === 'tls' ? 465 : 587),
		secure: s.smtpSecurity === 'tls',
		requireTLS: s.smtpSecurity === 'starttls',
		ignoreTLS: s.smtpSecurity === 'none',
		auth: s.smtpUsername ? { user: s.smtpUsername, pass } : undefined,
		connectionTimeout: 10_000,
		greetingTimeout: 10_000,
		socketTimeout: 30_000
	});
}

/** "Test connection" for outbound: the server's own answer when it fails. */
export async function testSmtp(
	s: SmtpSettings
): Promise<{ ok: true } | { ok: false; error: string }> {
	const transport = transportFor(s);
	try {
		await transport.verify();
		return { ok: true };
	} catch (err) {
		return { ok: false, error: errorText(err) };
	} finally {
		transport.close();
	}
}

const errorText = (err: unknown) => {
	const e = err as Error & { response?: string; code?: string };
	return e.response ?? (e.code ? `${e.code}: ${e.message}` : e.message);
};

interface Claimed {
	id: string;
	accountId: string | null;
	ticketId: string | null;
	to: string;
	subject: string;
	text: string;
	html: string;
	messageId: string;
	inReplyTo: string | null;
	references: string[];
	kind: string;
	attempts: number;
}

export async function runMailSend(opts: { now?: () => Date } = {}) {
	const clock = opts.now ?? (() => new Date());
	const pass = { sent: 0, retrying: 0, failed: 0 };
	const transports = new Map<string, Transporter>();
	try {
		for (let round = 0; round < 50; round++) {
			const now = clock();
			const claimed = await db().$queryRaw<Claimed[]>`
				UPDATE "OutboundMail" m SET "leasedUntil" = ${new Date(now.getTime() + LEASE_MS)},
					attempts = m.attempts + 1
				FROM (SELECT o.id FROM "OutboundMail" o
					WHERE o.status = 'PENDING' AND o."nextAttemptAt" <= ${now}
						AND (o."leasedUntil" IS NULL OR o."leasedUntil" < ${now})
					ORDER BY o."nextAttemptAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED) due
				WHERE m.id = due.id
				RETURNING m.id, m."accountId", m."ticketId", m."to", m.subject, m.text, m.html,
					m."messageId", m."inReplyTo", m."references", m.kind, m.attempts`;
			if (!claimed.length) break;
			for (const m of claimed) pass[await sendOne(m, transports, clock)]++;
			if (claimed.length < BATCH) break;
		}
	} finally {
		for (const t of transports.values()) t.close();
	}
	return pass;
}

async function sendOne(
	m: Claimed,
	transports: Map<string, Transporter>,
	clock: () => Date
): Promise<'sent' | 'retrying' | 'failed'> {
	let error: string | null = null;
	const account = m.accountId
		? await db().mailAccount.findUnique({ where: { id: m.accountId } })
		: null;
	if (!account?.smtpHost) error = 'The mail account is gone or has no outgoing server.';
	else {
		try {
			let transport = transports.get(account.id);
			if (!transport) transports.set(account.id, (transport = transportFor(account)));
			const number = /^helpdesk\.(\d+)\./.exec(m.messageId)?.[1];
			await transport.sendMail({
				from: { name: account.name, address: account.address },
				replyTo: number ? replyAddress(account.address, Number(number)) : account.address,
				to: m.to,
				subject: m.subject,
				text: m.text,
				html: m.html,
				messageId: `<${m.messageId}>`,
				inReplyTo: m.inReplyTo ? `<${m.inReplyTo}>` : undefined,
				references: m.references.map((r) => `<${r}>`),
				headers: {
					...(m.kind === 'ticket.reply' ? {} : { 'Auto-Submitted': 'auto-generated' }),
					'X-Auto-Response-Suppress': 'All',
					...(number ? { 'X-Helpdesk-Ticket': number } : {})
				}
			});
		} catch (err) {
			error = errorText(err);
		}
	}
	const now = clock();
	const outcome = !error
		? 'sent'
		: m.attempts >= MAX_ATTEMPTS || !account?.smtpHost
			? 'failed'
			: 'retrying';
	const wait = SEND_BACKOFF_MINUTES[m.attempts - 1] ?? 0;
	await db().$transaction(async (tx) => {
		await tx.outboundMail.update({
			where: { id: m.id },
			data: {
				leasedUntil: null,
				lastError: error,
				status: outcome === 'sent' ? 'SENT' : outcome === 'failed' ? 'FAILED' : 'PENDING',
				sentAt: outcome === 'sent' ? now : null,
				nextAttemptAt: outcome === 'retrying' ? new Date(now.getTime() + wait * 60_000) : null
			}
		});
		if (outcome === 'failed' && m.ticketId) {
			await tx.ticketEvent.create({
				data: {
					ticketId: m.ticketId,
					actorId: null,
					via: 'mail',
					field: 'mail',
					toValue: `Could not send "${m.subject}" to ${m.to}: ${error}`
				}
			});
		}
	});
	if (error) log.warn({ mail: m.id, to: m.to, error, attempt: m.attempts }, 'mail not sent');
	return outcome;
}
