import { randomUUID } from 'node:crypto';
import { STAFF_ROLES } from '$lib/permissions';
import { config } from '../config';
import { runningJobs } from '../jobs';
import type { Prisma } from '../db/generated/client';
import { renderMarkdown } from '../tickets/markdown';
import { replyAddress } from './thread';
import { fillTemplate, templateFor, type TemplateKey } from './templates';

type Tx = Prisma.TransactionClient;

/**
 * Outgoing ticket mail. `queueTicketMail` writes OutboundMail rows inside the transaction of the
 * change that causes them (an outbox: the mail exists exactly when the change does) and records
 * each Message-ID so answers thread back; `mail.send` (mail/sender.ts) delivers them with retries.
 * Every mail carries Message-ID, In-Reply-To/References (the ticket's earlier messages), the
 * ticket number in the subject ("[#1042]"), From the account's address and Reply-To its
 * reply-token address.
 */
export type MailEvent =
	| { kind: 'ticket.created'; ticketId: string }
	| {
			kind: 'ticket.reply';
			ticketId: string;
			entryId: string;
			authorId: string | null;
			body: string;
	  }
	| { kind: 'ticket.status'; ticketId: string }
	| { kind: 'ticket.assigned'; ticketId: string; assigneeId: string }
	| { kind: 'sla.warning'; ticketId: string; userIds: string[]; message: string };

const isStaff = (role: string) => (STAFF_ROLES as readonly string[]).includes(role);
const first = (name: string) => name.trim().split(/\s+/)[0] ?? '';
const STATUS_TEXT: Record<string, string> = {
	NEW: 'new',
	OPEN: 'open',
	PENDING: 'waiting for your reply',
	ON_HOLD: 'on hold',
	RESOLVED: 'resolved',
	CLOSED: 'closed'
};

export type SendingAccount = { id: string; address: string; groupId: string | null };

/** The accounts mail can go out from (active, with an outgoing server); [] = no mail at all. */
export function sendingAccounts(tx: Tx): Promise<SendingAccount[]> {
	return tx.mailAccount.findMany({
		where: { active: true, smtpHost: { not: null } },
		orderBy: { createdAt: 'asc' },
		select: { id: true, address: true, groupId: true }
	});
}

/**
 * Queues the mail `event` causes. `accounts`: the sending accounts when the caller already read
 * them (the create path reads them before taking the ticket number, to keep that lock short).
 */
export async function queueTicketMail(
	tx: Tx,
	event: MailEvent,
	accounts?: SendingAccount[]
): Promise<number> {
	const list = accounts ?? (await sendingAccounts(tx));
	if (!list.length) return 0;
	const t = await tx.ticket.findUnique({
		where: { id: event.ticketId },
		select: {
			id: true,
			number: true,
			subject: true,
			status: true,
			groupId: true,
			requester: { select: { id: true, name: true, email: true, role: true, active: true } },
			assignee: { select: { id: true, name: true, email: true } },
			watchers: {
				select: { user: { select: { id: true, email: true, role: true, active: true } } }
			}
		}
	});
	if (!t) return 0;
	const account = list.find((a) => t.groupId && a.groupId === t.groupId) ?? list[0]!;
	const ours = account.address.toLowerCase();

	let to: { id: string; email: string }[] = [];
	const requester = t.requester.active ? [t.requester] : [];
	if (event.kind === 'ticket.created' || event.kind === 'ticket.status') to = requester;
	if (event.kind === 'ticket.reply') {
		const contacts = t.watchers.map((w) => w.user).filter((u) => u.active && !isStaff(u.role));
		to = [...requester, ...contacts].filter((u) => u.id !== event.authorId);
	}
	if (event.kind === 'ticket.assigned' || event.kind === 'sla.warning') {
		const ids = event.kind === 'ticket.assigned' ? [event.assigneeId] : event.userIds;
		to = await tx.user.findMany({
			where: { id: { in: ids }, active: true },
			select: { id: true, email: true }
		});
	}
	to = [...new Map(to.map((u) => [u.email.toLowerCase(), u])).values()].filter(
		(u) => u.email.toLowerCase() !== ours && u.email.includes('@')
	);
	if (!to.length) return 0;

	const author =
		event.kind === 'ticket.reply' && event.authorId
			? await tx.user.findUnique({ where: { id: event.authorId }, select: { name: true } })
			: null;
	const template = await templateFor(tx, event.kind as TemplateKey);
	const values = {
		'requester.name': t.requester.name,
		'requester.firstName': first(t.requester.name),
		'requester.email': t.requester.email,
		'ticket.number': String(t.number),
		'ticket.subject': t.subject,
		'ticket.status': STATUS_TEXT[t.status] ?? t.status.toLowerCase(),
		'ticket.url': `${config.origin}/portal/tickets/${t.number}`,
		'agent.name': author?.name ?? t.assignee?.name ?? 'The service desk',
		'agent.firstName': first(author?.name ?? t.assignee?.name ?? 'Service desk'),
		message:
			event.kind === 'ticket.reply' || event.kind === 'sla.warning'
				? event.kind === 'ticket.reply'
					? event.body
					: event.message
				: ''
	};
	const staffLink = event.kind === 'ticket.assigned' || event.kind === 'sla.warning';
	if (staffLink) values['ticket.url'] = `${config.origin}/app/tickets/${t.number}`;
	let subject = fillTemplate(template.subject, values).replace(/\s+/g, ' ').trim();
	if (!subject.includes(`[#${t.number}]`)) subject = `[#${t.number}] ${subject}`;
	const text = fillTemplate(template.body, values);
	const html = renderMarkdown(text);

	const refs = await tx.mailMessageRef.findMany({
		where: { ticketId: t.id },
		orderBy: { createdAt: 'asc' },
		select: { messageId: true }
	});
	const references = refs.map((r) => r.messageId).slice(-20);
	const domain = ours.split('@')[1] ?? 'helpdesk.invalid';
	const rows = to.map((u) => ({
		accountId: account.id,
		ticketId: t.id,
		entryId: event.kind === 'ticket.reply' ? event.entryId : null,
		kind: event.kind,
		to: u.email,
		subject,
		text,
		html,
		messageId: `helpdesk.${t.number}.${randomUUID()}@${domain}`,
		inReplyTo: references.at(-1) ?? null,
		references
	}));
	await tx.outboundMail.createMany({ data: rows });
	await tx.mailMessageRef.createMany({
		data: rows.map((r) => ({
			messageId: r.messageId,
			ticketId: t.id,
			entryId: r.entryId,
			outbound: true
		})),
		skipDuplicates: true
	});
	return rows.length;
}

/** Reply-To for a ticket's mail: the account's address with the ticket's token. */
export const replyToFor = (accountAddress: string, number: number) =>
	replyAddress(accountAddress, number);

/** Tells the `mail.send` job there is mail (after commit); the job also runs every minute. */
export async function nudgeMail(): Promise<void> {
	await runningJobs()
		?.send('mail.send', {})
		.catch(() => undefined);
}
