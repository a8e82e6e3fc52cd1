/**
 * Where quoted history or a signature starts in (sanitised, marker-keeping) mail HTML, and the
 * fold: everything from there on goes into <details class="mail-quote">, kept, collapsed.
 */
const MARKERS: RegExp[] = [
	// Gmail quotes and signatures, Thunderbird cite prefix and signature, Yahoo.
	/<(?:div|blockquote|span|pre)\b[^>]*\bclass="(?:[^"]*\s)?(?:gmail_quote|gmail_signature_prefix|gmail_signature|moz-cite-prefix|moz-signature|yahoo_quoted)(?:\s[^"]*)?"[^>]*>/gi,
	// Outlook on the web / new Outlook.
	/<div\b[^>]*\bid="(?:divRplyFwdMsg|appendonsend)"[^>]*>/gi,
	// Apple Mail and Thunderbird.
	/<blockquote\b[^>]*\btype="cite"[^>]*>/gi,
	// Outlook desktop (Word HTML): a bold "From:" header line followed by a bold "Sent:".
	/<b>\s*(?:From|Von|De|Van|Da|Från|Fra):\s*<\/b>(?=[\s\S]{0,800}?<b>\s*(?:Sent|Gesendet|Envoyé|Verzonden|Inviato|Enviado|Date|Datum):\s*<\/b>)/gi,
	// Older Outlook and Lotus: a text separator.
	/-{3,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{3,}/gi
];

const FORWARD =
	/^[\s-]*(?:Forwarded message|Begin forwarded message|Weitergeleitete Nachricht|Message transféré)/i;

const VOID = new Set(['br', 'hr', 'img', 'wbr', 'meta', 'link', 'input', 'col', 'area', 'source']);

const textOf = (html: string) =>
	html
		.replace(/<[^>]*>/g, ' ')
		.replace(/&nbsp;|\u00a0/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();

/** Start offsets of quote markers, first first; forwards (the forwarded message) are left out. */
function quoteStarts(html: string, forward: boolean): number[] {
	const starts = new Set<number>();
	for (const re of MARKERS) for (const m of html.matchAll(re)) starts.add(m.index);
	const sorted = [...starts].sort((a, b) => a - b);
	return sorted.filter(
		(at, i) => !(forward && i === 0) && !FORWARD.test(textOf(html.slice(at, at + 600)))
	);
}

/** Elements open at `at` (sanitize-html output is balanced and escapes `>` in attributes). */
function openAt(html: string, at: number): string[] {
	const stack: string[] = [];
	for (const m of html.slice(0, at).matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*?(\/?)>/gi)) {
		const name = m[2]!.toLowerCase();
		if (VOID.has(name) || m[3]) continue;
		if (!m[1]) stack.push(name);
		else {
			const i = stack.lastIndexOf(name);
			if (i >= 0) stack.length = i;
		}
	}
	return stack;
}

/**
 * Folds from the first quote marker that has the message's own words before it (a reply that is
 * all quote stays open). The elements open at that point are closed before the <details> and
 * reopened inside it, so the fold is a top-level block and the markup stays balanced.
 */
export function foldQuoted(html: string, opts: { forward?: boolean } = {}): string {
	const at = quoteStarts(html, !!opts.forward).find(
		(i) => textOf(html.slice(0, i)) !== '' || /<img\b/i.test(html.slice(0, i))
	);
	if (at === undefined) return html;
	const stack = openAt(html, at);
	const close = [...stack]
		.reverse()
		.map((t) => `</${t}>`)
		.join('');
	const reopen = stack.map((t) => `<${t}>`).join('');
	return `${html.slice(0, at)}${close}<details class="mail-quote"><summary>Show quoted text</summary>${reopen}${html.slice(at)}</details>`;
}
