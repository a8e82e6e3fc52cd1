import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown → HTML that is safe to render: `marked` parses (GitHub-flavoured, line breaks kept as
 * people type them in a helpdesk), then `sanitize-html` keeps an allow-list of tags and
 * attributes — scripts, event handlers, styles and javascript: URLs never survive. Links open in
 * a new tab without leaking the opener. Mentions written as `@[Name](user:<uuid>)` become chips.
 */
const marked = new Marked({ gfm: true, breaks: true, async: false });

const MENTION = /@\[([^\]\n]{1,120})\]\(user:([0-9a-fA-F-]{36})\)/g;

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: [
		'p',
		'br',
		'hr',
		'strong',
		'b',
		'em',
		'i',
		'del',
		's',
		'code',
		'pre',
		'blockquote',
		'ul',
		'ol',
		'li',
		'a',
		'h1',
		'h2',
		'h3',
		'h4',
		'h5',
		'h6',
		'table',
		'thead',
		'tbody',
		'tr',
		'th',
		'td',
		'img',
		'span',
		'input',
		'sup',
		'sub',
		'kbd'
	],
	allowedAttributes: {
		a: ['href', 'title', 'target', 'rel'],
		img: ['src', 'alt', 'title'],
		span: ['class', 'data-user-id'],
		code: ['class'],
		th: ['align'],
		td: ['align'],
		input: ['type', 'checked', 'disabled'],
		ol: ['start']
	},
	allowedClasses: { span: ['mention'], code: [/^language-[\w-]+$/] },
	allowedSchemes: ['http', 'https', 'mailto', 'tel'],
	allowedSchemesByTag: { img: ['http', 'https', 'data'] },
	allowProtocolRelative: false,
	transformTags: {
		a: (tagName, attribs) => ({
			tagName,
			attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' }
		}),
		input: (tagName, attribs) =>
			attribs.type === 'checkbox'
				? {
						tagName,
						attribs: {
							type: 'checkbox',
							disabled: '',
							...('checked' in attribs ? { checked: '' } : {})
						}
					}
				: { tagName: 'span', attribs: {} }
	}
};

function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderMarkdown(markdown: string): string {
	const withMentions = markdown.replace(
		MENTION,
		(_m, name: string, id: string) =>
			`<span class="mention" data-user-id="${id.toLowerCase()}">@${escapeHtml(name)}</span>`
	);
	const html = marked.parse(withMentions) as string;
	return sanitizeHtml(html, SANITIZE);
}

/** User ids mentioned with `@[Name](user:<uuid>)`, each once. */
export function mentionedIds(markdown: string): string[] {
	return [...new Set([...markdown.matchAll(MENTION)].map((m) => (m[2] ?? '').toLowerCase()))];
}

/** Plain text for previews and notifications (no markup). */
export function plainText(markdown: string, max = 200): string {
	const text = sanitizeHtml(renderMarkdown(markdown), { allowedTags: [], allowedAttributes: {} })
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
