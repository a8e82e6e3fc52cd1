import { describe, expect, it } from 'vitest';
import { htmlOfText, linkInlineImages, splitQuoted } from '../../src/lib/server/mail/html';

describe('splitQuoted', () => {
	it.each([
		[
			'an English attribution and > lines',
			'Still broken.\n\nOn Mon, Dec 1, 2026 at 10:00 Someone <a@b.test> wrote:\n> old\n> older',
			'Still broken.',
			'On Mon, Dec 1, 2026 at 10:00 Someone <a@b.test> wrote:'
		],
		[
			'an attribution wrapped over two lines',
			'Yes.\n\nOn Mon, Dec 1, 2026 at 10:00 Someone Long Name <a@b.test>\nwrote:\n> old',
			'Yes.',
			'On Mon, Dec 1, 2026'
		],
		[
			'a German "Am … schrieb …:"',
			'Danke!\n\nAm 02.03.2026 um 17:02 schrieb IT Support <support@helpdesk.test>:\n> Bitte neu starten.',
			'Danke!',
			'Am 02.03.2026 um 17:02 schrieb'
		],
		[
			'a French "Le … a écrit :"',
			'Merci.\n\nLe lun. 2 mars 2026 à 17:02, IT Support a écrit :\n> Redémarrez.',
			'Merci.',
			'Le lun. 2 mars 2026'
		],
		[
			'an Outlook "-----Original Message-----" block',
			'Works now.\n\n-----Original Message-----\nFrom: IT Support\nSent: Monday\n\nTry again.',
			'Works now.',
			'-----Original Message-----'
		],
		[
			'an Outlook rule and German header block',
			'Geht wieder.\n\n________________________________\nVon: IT Support <support@helpdesk.test>\nGesendet: Montag\n\nBitte testen.',
			'Geht wieder.',
			'________________________________\nVon: IT Support'
		],
		[
			'an Outlook header block without a rule',
			'OK.\n\nFrom: IT Support <support@helpdesk.test>\nSent: Monday, March 2, 2026 5:02 PM\nTo: Me\n\nold',
			'OK.',
			'From: IT Support'
		],
		[
			'trailing > lines without an attribution',
			'Agreed.\n\n> you said\n>\n> this',
			'Agreed.',
			'> you said'
		],
		['a "-- " signature', 'Thanks\n-- \nJane Doe\nACME Corp', 'Thanks', '-- \nJane Doe'],
		[
			'nothing quoted',
			'The printer jams.\n> this line is not the end\nmore text',
			'The printer jams.\n> this line is not the end\nmore text',
			''
		],
		[
			'a "--" line that is no signature delimiter',
			'Price -- 20 EUR\n--\nnot a signature',
			'Price -- 20 EUR\n--\nnot a signature',
			''
		]
	])('%s', (_, text, body, quoted) => {
		const r = splitQuoted(text);
		expect(r.body).toBe(body);
		if (quoted) expect(r.quoted.startsWith(quoted)).toBe(true);
		else expect(r.quoted).toBe('');
	});

	it('keeps a forwarded message open and folds the history inside it', () => {
		const text = [
			'FYI',
			'',
			'---------- Forwarded message ---------',
			'From: Tom <tom@x.test>',
			'Date: Thu, 5 Mar 2026 at 10:58',
			'Subject: VPN',
			'To: Sabine <s@x.test>',
			'',
			'The VPN is down.',
			'',
			'On Wed, Mar 4, 2026 Ops <ops@x.test> wrote:',
			'> maintenance tonight'
		].join('\n');
		const r = splitQuoted(text);
		expect(r.body).toContain('From: Tom <tom@x.test>');
		expect(r.body).toContain('The VPN is down.');
		expect(r.quoted).toBe('On Wed, Mar 4, 2026 Ops <ops@x.test> wrote:\n> maintenance tonight');
	});

	it('stays linear on a long log (it used to take over a minute for 50,000 lines)', () => {
		const text = `Log:\n${'2026-03-17 02:00:00 row ok\n'.repeat(50_000)}> quoted tail`;
		const started = performance.now();
		const r = splitQuoted(text);
		expect(performance.now() - started).toBeLessThan(2_000);
		expect(r.quoted).toBe('> quoted tail');
	});

	it('handles CRLF text', () => {
		expect(splitQuoted('Hi\r\n\r\nOn Mon, A wrote:\r\n> x')).toEqual({
			body: 'Hi',
			quoted: 'On Mon, A wrote:\n> x'
		});
	});
});

describe('htmlOfText', () => {
	it('escapes, keeps paragraphs and line breaks, and folds the quote', () => {
		expect(htmlOfText('Hello <b>&\nsecond line\n\nOn Mon, A wrote:\n> "old"')).toBe(
			'<p>Hello &lt;b&gt;&amp;<br>second line</p><details class="mail-quote"><summary>Show quoted text</summary><p>On Mon, A wrote:<br>&gt; &quot;old&quot;</p></details>'
		);
	});

	it('folds a signature', () => {
		expect(htmlOfText("Thanks\n-- \nJane's phone")).toBe(
			'<p>Thanks</p><details class="mail-quote"><summary>Show quoted text</summary><p>-- <br>Jane&#39;s phone</p></details>'
		);
	});

	it('an empty or all-quoted text still gives a paragraph', () => {
		expect(htmlOfText('')).toBe('<p></p>');
		expect(htmlOfText('> only quoted')).toBe(
			'<p></p><details class="mail-quote"><summary>Show quoted text</summary><p>&gt; only quoted</p></details>'
		);
	});
});

describe('linkInlineImages', () => {
	const files = [
		{ id: 'f1', contentId: 'Shot.1@Home' },
		{ id: 'f2', contentId: null }
	];

	it('points cid: images at the stored attachment, matching Content-IDs case-insensitively', () => {
		expect(linkInlineImages('<img src="cid:shot.1@home" alt="s" />', files)).toBe(
			'<img src="/api/attachments/f1" alt="s" />'
		);
		expect(linkInlineImages('<p><img alt="x" src="cid:Shot.1%40Home" /></p>', files)).toBe(
			'<p><img alt="x" src="/api/attachments/f1" /></p>'
		);
	});

	it('leaves unknown cids, other images and text alone', () => {
		const html =
			'<img src="cid:missing@x" /><img src="data:image/png;base64,AA" /><p>cid:shot.1@home</p>';
		expect(linkInlineImages(html, files)).toBe(html);
		expect(linkInlineImages(html, [])).toBe(html);
	});
});
