/**
 * Plain-text mail → HTML safe to show: escaped, paragraphs and line breaks kept, and the quoted
 * history ("On … wrote:" and the "> " lines after it, an Outlook "-----Original Message-----" or
 * "From:/Sent:" block) and a "-- " signature folded into <details class="mail-quote">, never
 * dropped. A forwarded message's header block is the content, not history: it stays open.
 */
const escape = (s: string) =>
	s.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

/** "On … wrote:" and its translations (German, French, Dutch, Spanish, Italian). */
const ATTRIBUTION =
	/^(On .{3,300} wrote:|Am .{3,300} schrieb .{1,200}:|Le .{3,300} a écrit ?:|Op .{3,300} schreef .{1,200}:|El .{3,300} escribió:|Il .{3,300} ha scritto:)$/i;
const SEPARATOR = /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}$/i;
const FORWARD =
	/^(-{2,}\s*(Forwarded message|Weitergeleitete Nachricht|Message transféré)\s*-{2,}|Begin forwarded message:)$/i;
const HEADER_FROM = /^(From|Von|De|Van|Da):\s*\S/i;
const HEADER_NEXT =
	/^(Sent|Gesendet|Envoyé|Verzonden|Inviato|Enviado|Date|Datum|To|An|Subject|Betreff):/i;

function paragraphs(text: string): string {
	return text
		.split(/\n{2,}/)
		.map((p) => p.trim())
		.filter(Boolean)
		.map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`)
		.join('');
}

/** Linear in the number of lines: a 50,000-line log must not stall intake. */
function quoteStart(lines: string[]): number {
	// nextText[i]: the next non-empty line after i; quotedTail[i]: lines i… are all "> " or empty.
	const nextText: string[] = new Array<string>(lines.length);
	const quotedTail: boolean[] = new Array<boolean>(lines.length + 1);
	quotedTail[lines.length] = true;
	let next = '';
	for (let i = lines.length - 1; i >= 0; i--) {
		nextText[i] = next;
		const t = lines[i]!.trim();
		if (t) next = t;
		quotedTail[i] = quotedTail[i + 1]! && (t === '' || t.startsWith('>'));
	}
	const nextNonEmpty = (i: number) => nextText[i] ?? '';
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i]!.trim();
		const next = nextNonEmpty(i);
		if (FORWARD.test(line)) {
			// Skip the forwarded message's header block: it is what was sent to us.
			while (i + 1 < lines.length && lines[i + 1]!.trim() !== '') i++;
			continue;
		}
		if (lines[i] === '-- ' || SEPARATOR.test(line)) return i;
		if (ATTRIBUTION.test(line)) return i;
		// An attribution wrapped over two lines ("On …, Someone <a@b>" / "wrote:").
		if (
			/^(On|Am|Le|Op) .{3,300}$/i.test(line) &&
			/^(.{0,100}\s)?(wrote|schrieb|a écrit|schreef) ?:$/i.test(lines[i + 1]?.trim() ?? '') &&
			nextNonEmpty(i + 1).startsWith('>')
		)
			return i;
		// Outlook's "________" rule before its header block.
		if (/^_{10,}$/.test(line) && HEADER_FROM.test(next)) return i;
		if (HEADER_FROM.test(line) && HEADER_NEXT.test(next)) return i;
		if (line.startsWith('>') && quotedTail[i]) return i;
	}
	return lines.length;
}

export function splitQuoted(text: string): { body: string; quoted: string } {
	const lines = text.replace(/\r\n/g, '\n').split('\n');
	const cut = quoteStart(lines);
	return {
		body: lines.slice(0, cut).join('\n').trim(),
		quoted: lines.slice(cut).join('\n').trim()
	};
}

export function htmlOfText(text: string): string {
	const { body, quoted } = splitQuoted(text);
	const main = paragraphs(body) || '<p></p>';
	return quoted
		? `${main}<details class="mail-quote"><summary>Show quoted text</summary>${paragraphs(quoted)}</details>`
		: main;
}

/**
 * Points inline images (`<img src="cid:…">`) at their stored attachments (`/api/attachments/<id>`,
 * the download route the ticket page links files with). A cid with no stored file is left as is
 * (the browser shows nothing for it).
 */
export function linkInlineImages(html: string, files: { id: string; contentId: string | null }[]) {
	const byCid = new Map(
		files.filter((f) => f.contentId).map((f) => [f.contentId!.toLowerCase(), f.id])
	);
	if (!byCid.size) return html;
	return html.replace(/(<img\b[^>]*\bsrc=")cid:([^"]+)"/gi, (all, head: string, cid: string) => {
		let key = cid.replace(/&amp;/g, '&');
		try {
			key = decodeURIComponent(key);
		} catch {
			// Not percent-encoded after all: use it as it is.
		}
		const id = byCid.get(key.replace(/^<|>$/g, '').toLowerCase());
		return id ? `${head}/api/attachments/${id}"` : all;
	});
}
