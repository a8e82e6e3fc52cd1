import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanHtml, parseMail, UnreadableMail } from '../../src/lib/server/mail/parse';
import { textOfHtml } from '../../src/lib/server/mail/parse-html';
import { expectations } from '../fixtures/mail/expected';

const fixture = (file: string) => readFileSync(join(__dirname, '../fixtures/mail', file));
const FOLD = '<details class="mail-quote"><summary>Show quoted text</summary>';

describe('the mail corpus parses as expected', () => {
	it.each(expectations.map((e) => [e.file, e] as const))('%s', async (_, e) => {
		const raw = fixture(e.file);
		expect(raw.includes('\r\n'), 'fixtures keep CRLF line ends').toBe(true);
		if (e.throws) {
			const err = await parseMail(raw).catch((x: unknown) => x);
			expect(err).toBeInstanceOf(UnreadableMail);
			expect((err as Error).message).toMatch(e.throws);
			return;
		}
		const p = await parseMail(raw);
		expect(p.subject).toBe(e.subject);
		expect(p.from).toEqual(e.from);
		expect(p.messageId).toBe(e.messageId);
		for (const s of e.text?.contains ?? []) expect(p.text).toContain(s);
		for (const s of e.text?.notContains ?? []) expect(p.text).not.toContain(s);
		if (e.html === null) expect(p.html).toBeNull();
		else if (e.html) {
			expect(p.html).not.toBeNull();
			for (const s of e.html.contains ?? []) expect(p.html).toContain(s);
			for (const s of e.html.notContains ?? []) expect(p.html).not.toContain(s);
			expect(p.html!.includes(FOLD)).toBe(e.html.quoteFolded);
		}
		expect(
			p.attachments.map((a) => ({
				filename: a.filename,
				contentType: a.contentType,
				size: a.size,
				...(a.inline ? { inline: true } : {})
			}))
		).toEqual(e.attachments);
		for (const a of p.attachments) expect(a.content.length).toBe(a.size);
		expect(p.autoReply).toBe(e.autoReply);
		expect(p.bounce).toEqual(e.bounce);
	});

	it('an inline image keeps its Content-ID for the cid: reference', async () => {
		const p = await parseMail(fixture('inline-image.eml'));
		expect(p.attachments[0]).toMatchObject({
			contentId: '5B8E1F2A-0C3D-4E5F-9A8B-7C6D5E4F3A2B@home',
			inline: true
		});
	});

	it('an unnamed text/calendar part alone becomes invite.ics', async () => {
		const raw = fixture('calendar-invite.eml')
			.toString('latin1')
			.replace(
				/--00000000000022cal01\r\nContent-Type: application\/ics[\s\S]*?(?=--00000000000022cal01--)/,
				''
			);
		const p = await parseMail(Buffer.from(raw, 'latin1'));
		expect(p.attachments.map((a) => [a.filename, a.contentType])).toEqual([
			['invite.ics', 'text/calendar']
		]);
	});
});

describe('awkward structure', () => {
	it('a DSN returning the original inline still names its Message-ID', async () => {
		const raw = fixture('dsn-rfc822.eml')
			.toString('latin1')
			.replace(
				'Content-Type: message/rfc822\r\n',
				'Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n'
			);
		const p = await parseMail(Buffer.from(raw, 'latin1'));
		expect(p.bounce).toMatchObject({ originalMessageId: 'ticket-3002-r2@helpdesk.test' });
	});

	it('a multipart without a boundary cannot be read', async () => {
		const raw = Buffer.from(
			'From: a@b.test\r\nSubject: x\r\nContent-Type: multipart/mixed\r\n\r\nsome body\r\n'
		);
		await expect(parseMail(raw)).rejects.toThrow(/declares no boundary/);
	});

	it('an empty multipart with its boundary present is an empty message, not an error', async () => {
		const raw = Buffer.from(
			'From: a@b.test\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b--\r\n'
		);
		expect(await parseMail(raw)).toMatchObject({ text: '', html: null, attachments: [] });
	});
});

describe('HTML sanitising', () => {
	it.each([
		['a script', '<p>hi</p><script>alert(1)</script>', '<script'],
		['a javascript: link', '<a href="javascript:alert(1)">x</a>', 'javascript:'],
		['a vbscript: link', '<a href="vbscript:msgbox(1)">x</a>', 'vbscript:'],
		['an onerror attribute', '<img src="cid:a" onerror="alert(1)">', 'onerror'],
		['an onclick attribute', '<p onclick="alert(1)">x</p>', 'onclick'],
		['a style attribute', '<p style="background:url(https://t.test/x)">x</p>', 'style'],
		['an iframe', '<iframe src="https://evil.test"></iframe>', 'iframe'],
		[
			'a form',
			'<form action="https://evil.test"><input name="p"><button>Go</button></form>',
			'form'
		],
		['an object', '<object data="https://evil.test/x.swf"></object>', 'object'],
		['an svg', '<svg><script>alert(1)</script></svg>', 'svg'],
		['a remote image', '<img src="https://t.test/pixel.gif">', 'https://t.test'],
		['a base tag', '<base href="https://evil.test/">', 'base'],
		['a meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.test">', 'refresh']
	])('removes %s', (_, html, bad) => {
		const out = cleanHtml(`<p>Hello</p>${html}`);
		expect(out.toLowerCase()).not.toContain(bad);
		expect(out).toContain('<p>Hello</p>');
	});

	it('keeps links safe to open and inline and data: images', () => {
		const out = cleanHtml(
			'<a href="https://ok.test/a">ok</a><img src="cid:img1@x" alt="s"><img src="data:image/png;base64,AAAA">'
		);
		expect(out).toContain(
			'<a href="https://ok.test/a" rel="noopener noreferrer nofollow" target="_blank">ok</a>'
		);
		expect(out).toContain('<img src="cid:img1@x" alt="s" />');
		expect(out).toContain('data:image/png');
	});
});

describe('quote folding in HTML', () => {
	const folded = (html: string) => {
		const out = cleanHtml(html);
		const at = out.indexOf(FOLD);
		return { out, before: at < 0 ? out : out.slice(0, at), after: at < 0 ? '' : out.slice(at) };
	};

	it('folds a Gmail quote and the signature before it, even inside the outer div', () => {
		const { before, after } = folded(
			'<div dir="ltr">Thanks!<br><span class="gmail_signature_prefix">-- </span><div class="gmail_signature">Bob</div></div>' +
				'<div class="gmail_quote"><div class="gmail_attr">On Mon, A wrote:</div><blockquote class="gmail_quote">old</blockquote></div>'
		);
		expect(before).toContain('Thanks!');
		expect(before).not.toContain('Bob');
		expect(after).toContain('Bob');
		expect(after).toContain('old');
		expect(after.endsWith('</details>')).toBe(true);
	});

	it('folds Outlook on the web (divRplyFwdMsg) and Outlook desktop (bold From:/Sent:)', () => {
		const web = folded(
			'<div>Done.</div><hr><div id="divRplyFwdMsg"><b>From:</b> A<br><b>Sent:</b> Mon</div><div>old</div>'
		);
		expect(web.before).toContain('Done.');
		expect(web.after).toContain('old');
		const desktop = folded(
			'<div class="WordSection1"><p class="MsoNormal">Works now.</p><div style="border-top:solid #E1E1E1 1pt">' +
				'<p class="MsoNormal"><b>From:</b> IT Support<br><b>Sent:</b> Monday<br><b>Subject:</b> x</p></div>' +
				'<p class="MsoNormal">old text</p></div>'
		);
		expect(desktop.before).toContain('Works now.');
		expect(desktop.before).not.toContain('old text');
		expect(desktop.after).toContain('<b>From:</b> IT Support');
		expect(desktop.after).toContain('old text');
	});

	it('folds Thunderbird (moz-cite-prefix) and Apple Mail (blockquote type=cite)', () => {
		const tb = folded(
			'<p>Yes.</p><div class="moz-cite-prefix">On 1.1.26 X wrote:</div><blockquote type="cite">old</blockquote>'
		);
		expect(tb.before).toBe('<p>Yes.</p>');
		expect(tb.after).toContain('On 1.1.26 X wrote:');
		const apple = folded(
			'<div>Sure.<div><br><blockquote type="cite"><div>On 6 Mar 2026, at 16:12, X wrote:</div><div>old</div></blockquote></div></div>'
		);
		expect(apple.before).toContain('Sure.');
		expect(apple.after).toContain('On 6 Mar 2026, at 16:12, X wrote:');
	});

	it('folds an "-----Original Message-----" separator in HTML', () => {
		const { before, after } = folded(
			'<p>See below.</p><p>-----Original Message-----<br>From: A<br>old</p>'
		);
		expect(before).toContain('See below.');
		expect(after).toContain('-----Original Message-----');
	});

	it('leaves a message that is all quote open, and balanced markup stays balanced', () => {
		const all = cleanHtml('<blockquote type="cite">only quoted</blockquote>');
		expect(all).not.toContain('mail-quote');
		const { out } = folded(
			'<table><tr><td>Hi<blockquote type="cite">q</blockquote></td></tr></table>'
		);
		expect(out.match(/<table>/g)?.length).toBe(out.match(/<\/table>/g)?.length);
		expect(out).toContain('q');
	});

	it('a forwarded message stays open; history inside it folds', () => {
		const html =
			'<div>FYI<div class="gmail_quote"><div>---------- Forwarded message ---------<br>From: A</div>' +
			'<div>forwarded body</div><div class="gmail_quote">On Mon, B wrote:<blockquote type="cite">older</blockquote></div></div></div>';
		const out = cleanHtml(html, { forward: true });
		const at = out.indexOf(FOLD);
		expect(out.slice(0, at)).toContain('forwarded body');
		expect(out.slice(at)).toContain('older');
	});
});

describe('text of an HTML-only mail', () => {
	it('keeps blocks, list items, link targets and decodes entities', () => {
		expect(
			textOfHtml(
				'<h2>Title</h2><p>A &amp; B &lt;c&gt; &#8364; &#x41;</p><ul><li>one</li><li>two</li></ul><p><a href="https://x.test/">https://x.test/</a> <a href="https://y.test/">y</a></p>'
			)
		).toBe('Title\n\nA & B <c> € A\n\n- one\n- two\n\nhttps://x.test/ y [https://y.test/]');
	});
});
