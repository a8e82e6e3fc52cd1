import { db } from '../db/client';
import { shortMac } from './secrets';
import type { ParsedMail } from './types';

/**
 * Which ticket a message belongs to, in order: its In-Reply-To / References against the
 * Message-IDs we sent and received; the ticket number in the subject ("[#1042]") when the sender
 * is someone on that ticket (requester, watcher, staff) — numbers are guessable, so strangers
 * cannot write into other people's tickets that way; a reply token in one of the recipient
 * addresses ("support+t1042-k3j9x0q2ab@…", keyed so it cannot be forged). Merged tickets lead to
 * the ticket they were merged into. Null: a new ticket.
 */
export interface Threaded {
	ticketId: string;
	number: number;
	status: string;
	by: 'references' | 'subject' | 'token';
}

/** The plus-address part that leads a reply back to ticket `number`. */
export const replyToken = (number: number) => `t${number}-${shortMac('reply', String(number))}`;

/** `support@example.com` + ticket 1042 → `support+t1042-…@example.com`. */
export function replyAddress(address: string, number: number): string {
	const at = address.lastIndexOf('@');
	return `${address.slice(0, at)}+${replyToken(number)}${address.slice(at)}`;
}

/** The ticket number a recipient address's token names, when the token is genuine. */
export function numberFromAddress(address: string): number | null {
	const m = /\+t(\d{1,9})-([a-z0-9]{10})@/i.exec(address);
	if (!m) return null;
	const number = Number(m[1]);
	return replyToken(number) === `t${m[1]}-${m[2]!.toLowerCase()}` ? number : null;
}

const SUBJECT_NUMBER = /\[#(\d{1,9})\]/;

async function byNumber(number: number) {
	let t = await db().ticket.findUnique({
		where: { number },
		select: { id: true, number: true, status: true, mergedIntoId: true, requesterId: true }
	});
	for (let hops = 0; t?.mergedIntoId && hops < 5; hops++) {
		t = await db().ticket.findUnique({
			where: { id: t.mergedIntoId },
			select: { id: true, number: true, status: true, mergedIntoId: true, requesterId: true }
		});
	}
	return t;
}

export async function findTicket(
	mail: ParsedMail,
	senderId: string | null
): Promise<Threaded | null> {
	const refs = [...new Set([mail.inReplyTo, ...mail.references].filter((x): x is string => !!x))];
	if (refs.length) {
		const ref = await db().mailMessageRef.findFirst({
			where: { messageId: { in: refs } },
			orderBy: { createdAt: 'desc' },
			select: { ticket: { select: { number: true } } }
		});
		const t = ref ? await byNumber(ref.ticket.number) : null;
		if (t) return { ticketId: t.id, number: t.number, status: t.status, by: 'references' };
	}
	const subject = SUBJECT_NUMBER.exec(mail.subject);
	if (subject && senderId) {
		const t = await byNumber(Number(subject[1]));
		if (t && (await involved(t.id, t.requesterId, senderId)))
			return { ticketId: t.id, number: t.number, status: t.status, by: 'subject' };
	}
	for (const a of [...mail.to, ...mail.cc]) {
		const number = numberFromAddress(a.address);
		const t = number ? await byNumber(number) : null;
		if (t) return { ticketId: t.id, number: t.number, status: t.status, by: 'token' };
	}
	return null;
}

async function involved(ticketId: string, requesterId: string, userId: string) {
	if (requesterId === userId) return true;
	const [watcher, user] = await Promise.all([
		db().ticketWatcher.findUnique({
			where: { ticketId_userId: { ticketId, userId } },
			select: { userId: true }
		}),
		db().user.findUnique({ where: { id: userId }, select: { role: true } })
	]);
	return !!watcher || (!!user && user.role !== 'END_USER' && user.role !== 'REQUESTER');
}
