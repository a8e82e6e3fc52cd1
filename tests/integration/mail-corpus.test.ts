import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { receiveMail } from '../../src/lib/server/mail/ingest';
import { expectations, type Intake, type MailExpectation } from '../fixtures/mail/expected';
import { mime, uniqueAddress } from '../helpers/mail';

const FOLD = '<details class="mail-quote">';

/**
 * A fixture made unique for the shared database: a new Message-ID (the database keeps every one),
 * a new sender address (the per-sender rate limit), and for threaded cases In-Reply-To pointing at
 * a ticket of this test, or the bounced Message-ID replaced by one we sent on it. Headers are
 * edited as latin1 so 8bit bytes elsewhere stay as they are.
 */
function prepare(
	file: string,
	opts: { from: string; inReplyTo?: string; replace?: [string, string] }
): Buffer {
	let text = readFileSync(join(__dirname, '../fixtures/mail', file)).toString('latin1');
	if (opts.replace) text = text.split(opts.replace[0]).join(opts.replace[1]);
	const end = text.indexOf('\r\n\r\n');
	let head = text.slice(0, end);
	head = head.replace(/^(Message-ID:[ \t]*)<[^>]*>/im, `$1<${randomUUID()}@corpus.test>`);
	head = head.replace(/^(From:.*?)([^\s<>()"]+@[^\s<>()"]+)/im, `$1${opts.from}`);
	if (opts.inReplyTo)
		head =
			head.replace(/^(In-Reply-To|References):.*\r\n/gim, '') +
			`\r\nIn-Reply-To: <${opts.inReplyTo}>`;
	return Buffer.from(head + text.slice(end), 'latin1');
}

async function seedTicket() {
	const messageId = `${randomUUID()}@corpus.test`;
	const r = await receiveMail(mime({ from: uniqueAddress('seed'), messageId }), {
		channel: 'SMTP',
		accountId: null
	});
	if (r.outcome.status !== 'PROCESSED') throw new Error('seed ticket not made');
	return { ticketId: r.outcome.ticketId, messageId };
}

const ticketOf = (id: string) =>
	db().ticket.findUniqueOrThrow({
		where: { id },
		include: {
			requester: true,
			entries: { orderBy: { createdAt: 'asc' }, include: { attachments: true } },
			attachments: { orderBy: { filename: 'asc' } }
		}
	});

const files = (list: { filename: string; size: bigint | number }[]) =>
	list
		.map((a) => ({ filename: a.filename, size: Number(a.size) }))
		.sort((a, b) => a.filename.localeCompare(b.filename));

async function run(e: MailExpectation, intake: Intake) {
	const from = uniqueAddress(e.file.replace(/\.eml$/, ''));
	const seed = intake.threaded ? await seedTicket() : null;
	let replace: [string, string] | undefined;
	if (seed && e.bounce?.originalMessageId) {
		const sentId = `${randomUUID()}@helpdesk.test`;
		await db().mailMessageRef.create({
			data: { messageId: sentId, ticketId: seed.ticketId, outbound: true }
		});
		replace = [e.bounce.originalMessageId, sentId];
	}
	const raw = prepare(e.file, {
		from,
		inReplyTo: seed && !replace ? seed.messageId : undefined,
		replace
	});
	const r = await receiveMail(raw, { channel: 'SMTP', accountId: null });
	const outcome = r.outcome;
	const expectedFiles = (e.attachments ?? []).map(({ filename, size }) => ({ filename, size }));

	switch (intake.outcome) {
		case 'IGNORED':
		case 'FAILED': {
			expect(outcome.status).toBe(intake.outcome);
			if (outcome.status === 'IGNORED' || outcome.status === 'FAILED')
				expect(outcome.reason.startsWith(intake.reason ?? '')).toBe(true);
			// Kept whole, never dropped.
			const row = await db().inboundMail.findUniqueOrThrow({ where: { id: r.id } });
			expect(row.status).toBe(intake.outcome);
			expect(Buffer.from(row.raw).equals(raw)).toBe(true);
			return;
		}
		case 'TICKET': {
			if (outcome.status !== 'PROCESSED') throw new Error(JSON.stringify(outcome));
			expect(outcome.created).toBe(true);
			const t = await ticketOf(outcome.ticketId);
			expect(t).toMatchObject({ subject: e.subject, source: 'EMAIL' });
			expect(t.requester.email).toBe(from);
			if (e.from?.name) expect(t.requester.name).toBe(e.from.name);
			expect(t.description).toContain(e.text!.contains![0]);
			if (e.html) expect(t.descriptionHtml.includes(FOLD)).toBe(e.html.quoteFolded);
			expect(files(t.attachments)).toEqual(files(expectedFiles));
			return t;
		}
		case 'REPLY':
		case 'NOTE': {
			if (outcome.status !== 'PROCESSED') throw new Error(JSON.stringify(outcome));
			expect(outcome).toMatchObject({ ticketId: seed!.ticketId, created: false });
			const t = await ticketOf(seed!.ticketId);
			const entry = t.entries.find((x) => x.id === outcome.entryId)!;
			expect(entry).toMatchObject({ kind: intake.outcome, source: 'EMAIL' });
			expect(entry.body).toContain(e.text!.contains![0]);
			if (intake.outcome === 'REPLY') {
				expect(files(entry.attachments)).toEqual(files(expectedFiles));
				if (e.html) expect(entry.bodyHtml.includes(FOLD)).toBe(e.html.quoteFolded);
			} else {
				expect(entry.authorId).toBeNull();
				expect(entry.via).toBe(
					e.bounce
						? `mail: delivery failed to ${e.bounce.recipients.join(', ')}`
						: `mail: automatic reply from ${from}`
				);
			}
			return t;
		}
	}
}

describe('the mail corpus through intake', () => {
	const cases = expectations.flatMap((e) =>
		e.intake.map(
			(i) => [`${e.file}${i.threaded ? ' (threaded)' : ''} → ${i.outcome}`, e, i] as const
		)
	);

	it.each(cases)('%s', async (_, e, intake) => {
		await run(e, intake);
	});

	it('an inline image is stored on the ticket and the HTML shows it from there', async () => {
		const e = expectations.find((x) => x.file === 'inline-image.eml')!;
		const t = (await run(e, { outcome: 'TICKET' }))!;
		const shot = t.attachments.find((a) => a.filename === 'screenshot.png')!;
		expect(t.descriptionHtml).toContain(`<img src="/api/attachments/${shot.id}"`);
		expect(t.descriptionHtml).not.toContain('cid:');
	});

	it('a huge one-line message makes a ticket with the description shortened, the raw kept', async () => {
		const e = expectations.find((x) => x.file === 'huge-line.eml')!;
		const t = (await run(e, { outcome: 'TICKET' }))!;
		expect(t.description.length).toBeLessThanOrEqual(50_000);
		expect(t.description).toContain('shortened here; the whole message is kept');
		const row = await db().inboundMail.findFirstOrThrow({ where: { ticketId: t.id } });
		expect(row.raw.length).toBeGreaterThan(300_000);
	});
});
