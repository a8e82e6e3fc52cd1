import type { Readable } from 'node:stream';

/** Where a message came in. */
export type MailChannel = 'IMAP' | 'POP3' | 'SMTP' | 'WEBHOOK';

export interface MailAddress {
	/** Lower-cased, trimmed. */
	address: string;
	name: string | null;
}

export interface ParsedAttachment {
	filename: string;
	contentType: string;
	size: number;
	/** Content-ID without angle brackets, for inline images referenced as cid: in the HTML. */
	contentId: string | null;
	inline: boolean;
	content: Buffer;
}

/**
 * A message as intake needs it (mail/parse.ts `parseMail`). Bodies are ready to store: `text` is
 * the plain text (from the text part, or the HTML turned into text) and `html` is sanitised HTML
 * safe to show (quoted history and signatures wrapped in <details class="mail-quote"> so the view
 * collapses them; nothing is dropped), or null when the mail had no HTML part.
 */
export interface ParsedMail {
	/** Without angle brackets; null when the message has none. */
	messageId: string | null;
	inReplyTo: string | null;
	/** Oldest first, without angle brackets. */
	references: string[];
	from: MailAddress | null;
	replyTo: MailAddress[];
	to: MailAddress[];
	cc: MailAddress[];
	/** Envelope or Delivered-To recipients when known (SMTP listener), else empty. */
	subject: string;
	date: Date | null;
	text: string;
	html: string | null;
	attachments: ParsedAttachment[];
	/** Auto-Submitted (not "no"), X-Autoreply/X-Autorespond, Precedence bulk/junk/list, … */
	autoReply: boolean;
	/** A delivery status notification (multipart/report; report-type=delivery-status). */
	bounce: {
		/** The Message-ID of the message that bounced, when the report carries it. */
		originalMessageId: string | null;
		/** The failed recipient(s) and status, for the note on the ticket. */
		recipients: string[];
		status: string | null;
	} | null;
}

/** What receiving one raw message did. */
export interface Received {
	/** The InboundMail row (the earlier one for a duplicate). */
	id: string;
	duplicate: boolean;
}

export type RawSource = Buffer | Readable;
