import { simpleParser, type AddressObject, type ParsedMail as Parsed } from 'mailparser';
import { cleanHtml, textOfHtml } from './parse-html';
import { bare, bounceOf, isAutoReply } from './parse-signals';
import type { MailAddress, ParsedAttachment, ParsedMail } from './types';

export { bare } from './parse-signals';
export { cleanHtml } from './parse-html';

/** A message mailparser reads without complaint but whose content would be lost. */
export class UnreadableMail extends Error {}

/** Fwd:, FW:, WG: (German), TR: (French), RV: (Spanish), ENC: (Portuguese), Doorst: (Dutch), VL: (Finnish). */
const FORWARD_SUBJECT = /^\s*(?:fwd?|wg|tr|rv|enc|doorst|vl)\s*:/i;

/**
 * Raw MIME → what intake needs (types.ts ParsedMail), with mailparser: charsets and transfer
 * encodings decoded, text and HTML bodies, attachments and inline images, the loop signals
 * (auto-replies, bounces). HTML is sanitised to an allow-list (parse-html.ts); quoted history is
 * wrapped in <details class="mail-quote"> so the view collapses it without losing it. Throws
 * UnreadableMail when the body cannot be found (a multipart whose boundary never appears): intake
 * keeps such mail whole in the failed list rather than making an empty ticket.
 */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
	// skipHtmlToText: the text of an HTML-only mail is made from the sanitised HTML (textOfHtml),
	// so neither javascript: links nor tracking-pixel addresses end up in the text.
	const p = await simpleParser(raw, {
		skipImageLinks: true,
		skipTextLinks: true,
		skipHtmlToText: true
	});
	checkBoundary(p, raw);
	const subject = (p.subject ?? '').trim();
	const html =
		typeof p.html === 'string' && p.html.trim()
			? cleanHtml(p.html, { forward: FORWARD_SUBJECT.test(subject) })
			: null;
	const plain = (p.text ?? '').replace(/\r\n/g, '\n').trim();
	return {
		messageId: bare(p.messageId),
		inReplyTo: bare(p.inReplyTo),
		references: (Array.isArray(p.references) ? p.references : p.references ? [p.references] : [])
			.flatMap((r) => r.split(/\s+/))
			.map(bare)
			.filter((r): r is string => !!r),
		from: addresses(p.from)[0] ?? null,
		replyTo: addresses(p.replyTo),
		to: addresses(p.to),
		cc: addresses(p.cc),
		subject,
		date: p.date ?? null,
		text: plain || (html ? textOfHtml(html) : ''),
		html: html || null,
		attachments: attachmentsOf(p),
		autoReply: isAutoReply(p),
		bounce: bounceOf(p, raw)
	};
}

/** A multipart whose declared boundary is not in the body: mailparser finds no part at all. */
function checkBoundary(p: Parsed, raw: Buffer) {
	const type = p.headers.get('content-type') as
		{ value?: string; params?: Record<string, string> } | undefined;
	if (!type?.value?.toLowerCase().startsWith('multipart/')) return;
	if (p.text?.trim() || p.html || p.attachments.length) return;
	const boundary = type.params?.boundary;
	if (!boundary)
		throw new UnreadableMail(`The ${type.value} message declares no boundary, so it has no parts.`);
	if (!raw.includes(`--${boundary}`))
		throw new UnreadableMail(
			`The boundary "${boundary.slice(0, 100)}" declared in Content-Type never appears in the body, so no part could be read.`
		);
}

function addresses(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
	const list = Array.isArray(field) ? field : field ? [field] : [];
	const out: MailAddress[] = [];
	const walk = (items: AddressObject['value']) => {
		for (const a of items) {
			if (a.group) walk(a.group);
			else if (a.address)
				out.push({ address: a.address.trim().toLowerCase(), name: a.name?.trim() || null });
		}
	};
	for (const f of list) walk(f.value);
	return out;
}

/** Report parts are read by bounceOf, not kept as files. */
const NOT_FILES = ['message/delivery-status', 'text/rfc822-headers'];

const EXTENSIONS: Record<string, string> = {
	'message/rfc822': 'eml',
	'text/calendar': 'ics',
	'text/plain': 'txt',
	'text/html': 'html',
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/gif': 'gif',
	'application/pdf': 'pdf',
	'application/ms-tnef': 'dat'
};

function defaultName(type: string, i: number) {
	if (type === 'text/calendar') return 'invite.ics';
	if (type === 'application/ms-tnef') return 'winmail.dat';
	const ext = EXTENSIONS[type] ?? (type.split('/')[1] ?? 'bin').replace(/[^a-z0-9]/gi, '');
	return `attachment-${i + 1}.${ext || 'bin'}`;
}

/**
 * Attachments and inline images. An unnamed text/calendar body part (the invitation as Outlook
 * and Google send it, inside multipart/alternative) becomes "invite.ics" — unless the message also
 * carries the invitation as a named .ics file, which is then the one kept.
 */
function attachmentsOf(p: Parsed): ParsedAttachment[] {
	const files = p.attachments.filter((a) => !NOT_FILES.includes(a.contentType));
	const namedIcs = files.some((a) => /\.ics$/i.test(a.filename ?? ''));
	return files
		.filter((a) => !(a.contentType === 'text/calendar' && !a.filename && namedIcs))
		.map((a, i) => ({
			filename: a.filename?.replace(/[\r\n\t]+/g, ' ').trim() || defaultName(a.contentType, i),
			contentType: a.contentType || 'application/octet-stream',
			size: a.size ?? a.content.length,
			contentId: bare(a.contentId),
			inline: a.contentDisposition === 'inline' || a.related === true,
			content: a.content
		}));
}
