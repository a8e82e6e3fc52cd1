import sanitizeHtml from 'sanitize-html';
import { foldQuoted } from './parse-quote';

const ALLOWED: sanitizeHtml.IOptions = {
	allowedTags: [
		'p',
		'br',
		'div',
		'span',
		'b',
		'strong',
		'i',
		'em',
		'u',
		's',
		'sub',
		'sup',
		'small',
		'font',
		'h1',
		'h2',
		'h3',
		'h4',
		'h5',
		'h6',
		'ul',
		'ol',
		'li',
		'blockquote',
		'pre',
		'code',
		'hr',
		'a',
		'img',
		'table',
		'thead',
		'tbody',
		'tfoot',
		'tr',
		'th',
		'td',
		'caption',
		'details',
		'summary'
	],
	// The text of these is dropped with them (a <title> would otherwise open the body).
	nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title'],
	allowedAttributes: {
		// rel/target are set by transformTags below (whatever the mail said): without them here the
		// sanitiser dropped them again and links opened in the app's own tab.
		a: ['href', 'title', 'rel', 'target'],
		img: ['src', 'alt', 'width', 'height'],
		td: ['colspan', 'rowspan'],
		th: ['colspan', 'rowspan'],
		details: ['class'],
		'*': []
	},
	// Remote images are tracking pixels more often than content; inline (cid:) images are kept.
	allowedSchemes: ['http', 'https', 'mailto', 'cid'],
	allowedSchemesByTag: { img: ['cid', 'data'] },
	transformTags: {
		a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' })
	},
	allowedSchemesAppliedToAttributes: ['href', 'src'],
	exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src
};

/** The first pass keeps the class/id markers quote detection needs; the final pass drops them. */
const MARKED: sanitizeHtml.IOptions = {
	...ALLOWED,
	allowedAttributes: {
		...ALLOWED.allowedAttributes,
		div: ['class', 'id'],
		span: ['class'],
		pre: ['class'],
		blockquote: ['type', 'class']
	}
};

/**
 * Sanitises mail HTML to the allow-list and folds quoted history and signatures into
 * <details class="mail-quote"> (parse-quote.ts). `forward`: the message is a forward, so the
 * first quote marker is the forwarded message itself and stays open.
 */
export function cleanHtml(html: string, opts: { forward?: boolean } = {}): string {
	const marked = sanitizeHtml(html, MARKED);
	return sanitizeHtml(foldQuoted(marked, opts), ALLOWED).trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Sanitised HTML → plain text for the ticket's text body and search when a mail has no text
 * part: blocks and <br> become line breaks, list items "- ", links keep their target, the
 * "Show quoted text" label goes, entities are decoded.
 */
export function textOfHtml(clean: string): string {
	return clean
		.replace(/<summary>[\s\S]*?<\/summary>/gi, '')
		.replace(/\s+/g, ' ')
		.replace(/<a\b[^>]*\bhref="(https?:[^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, inner) =>
			inner.replace(/<[^>]*>/g, '').trim() === href ? inner : `${inner} [${href}]`
		)
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<li\b[^>]*>/gi, '\n- ')
		.replace(/<\/(td|th)>/gi, '\t')
		.replace(/<\/?(p|div|h[1-6]|ul|ol|table|tr|blockquote|pre|hr|details)\b[^>]*>/gi, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
			if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
			const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
			return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
		})
		.replace(/\u00a0/g, ' ')
		.split('\n')
		.map((l) => l.replace(/[ \t]+/g, ' ').trim())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
