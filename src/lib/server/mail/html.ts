/**
 * Plain-text mail → HTML safe to show: escaped, paragraphs and line breaks kept, and the quoted
 * history ("On … wrote:" and the "> " lines after it, or an Outlook "-----Original Message-----"
 * block) and a "-- " signature folded into <details class="mail-quote">, never dropped.
 */
const escape = (s: string) =>
	s.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

const QUOTE_HEADER =
	/^(On .{3,200} wrote:|Am .{3,200} schrieb .{1,100}:|-{2,}\s*Original Message\s*-{2,}|From: .+)$/i;

function paragraphs(text: string): string {
	return text
		.split(/\n{2,}/)
		.map((p) => p.trim())
		.filter(Boolean)
		.map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`)
		.join('');
}

export function splitQuoted(text: string): { body: string; quoted: string } {
	const lines = text.replace(/\r\n/g, '\n').split('\n');
	let cut = lines.length;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i]!.trim();
		const next =
			lines
				.slice(i + 1)
				.find((l) => l.trim() !== '')
				?.trim() ?? '';
		if (
			QUOTE_HEADER.test(line) &&
			(line.startsWith('-') ||
				next.startsWith('>') ||
				/^(From|Sent|To|Subject):/i.test(next) ||
				/wrote:|schrieb/.test(line))
		) {
			cut = i;
			break;
		}
		if (
			line.startsWith('>') &&
			lines.slice(i).every((l) => l.trim() === '' || l.trim().startsWith('>'))
		) {
			cut = i;
			break;
		}
		if (lines[i] === '-- ') {
			cut = i;
			break;
		}
	}
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
