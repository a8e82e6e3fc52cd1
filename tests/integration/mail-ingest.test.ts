import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import {
	processInbound,
	processPending,
	receiveMail,
	SENDER_LIMIT_PER_HOUR
} from '../../src/lib/server/mail/ingest';
import { storeRaw } from '../../src/lib/server/mail/receive';
import { replyAddress } from '../../src/lib/server/mail/thread';
import { updateTicket } from '../../src/lib/server/tickets/update';
import { makeGroup, makeUser } from '../helpers/factories';
import { makeAccount, mime, uniqueAddress } from '../helpers/mail';
import { makeTicket, scopeOf } from '../helpers/tickets';

const ticketOf = (id: string) =>
	db().ticket.findUniqueOrThrow({
		where: { id },
		include: {
			requester: true,
			watchers: { include: { user: true } },
			entries: { orderBy: { createdAt: 'asc' } },
			attachments: true
		}
	});

async function receive(raw: Buffer, accountId: string | null = null) {
	const r = await receiveMail(raw, { channel: 'SMTP', accountId });
	if (r.outcome.status !== 'PROCESSED' && r.outcome.status !== 'SKIPPED')
		throw new Error(`not processed: ${JSON.stringify(r.outcome)}`);
	return r;
}

const processed = (r: Awaited<ReturnType<typeof receive>>) => {
	if (r.outcome.status !== 'PROCESSED')
		throw new Error(`expected PROCESSED, got ${r.outcome.status}`);
	return r.outcome;
};

describe('mail intake', () => {
	it('a new message becomes a ticket: contact, account defaults, CC watchers, threading id', async () => {
		const group = await makeGroup();
		const account = await makeAccount({ groupId: group.id, priority: 'HIGH' });
		const from = uniqueAddress('dana');
		const cc = uniqueAddress('boss');
		const raw = mime({
			from: `Dana Scully <${from}>`,
			to: account.address,
			cc: `Walter <${cc}>`,
			subject: 'VPN drops every hour',
			body: 'Since Monday.\n\nOn Mon, Dec 1, 2026 Someone wrote:\n> old text'
		});
		const r = processed(await receive(raw, account.id));
		expect(r.created).toBe(true);
		const t = await ticketOf(r.ticketId);
		expect(t).toMatchObject({
			subject: 'VPN drops every hour',
			source: 'EMAIL',
			priority: 'HIGH',
			groupId: group.id,
			status: 'NEW'
		});
		expect(t.requester).toMatchObject({ email: from, name: 'Dana Scully', role: 'REQUESTER' });
		expect(t.watchers.map((w) => w.user.email)).toEqual([cc]);
		// The quoted history is folded, not dropped.
		expect(t.descriptionHtml).toContain('<details class="mail-quote">');
		expect(t.descriptionHtml).toContain('&gt; old text');
		const inbound = await db().inboundMail.findUniqueOrThrow({
			where: { id: (await db().inboundMail.findFirstOrThrow({ where: { ticketId: t.id } })).id }
		});
		expect(inbound).toMatchObject({ status: 'PROCESSED', channel: 'SMTP', fromAddress: from });
		expect(await db().mailMessageRef.count({ where: { ticketId: t.id } })).toBe(1);
	});

	it('the same message twice — same bytes, or same Message-ID — makes one ticket', async () => {
		const messageId = `${randomUUID()}@client.test`;
		const raw = mime({ from: uniqueAddress(), messageId });
		const first = processed(await receive(raw));
		const again = await receive(raw);
		expect(again).toMatchObject({ duplicate: true, outcome: { status: 'SKIPPED' } });
		// Resent through another route with extra headers: still the same message.
		const resent = Buffer.concat([Buffer.from('Received: from relay.test\r\n'), raw]);
		expect((await receive(resent)).duplicate).toBe(true);
		expect(await db().inboundMail.count({ where: { messageId } })).toBe(1);
		expect(await db().ticket.count({ where: { id: first.ticketId } })).toBe(1);

		// Without a Message-ID the bytes decide.
		const bare = mime({ from: uniqueAddress(), messageId: null, body: `unique ${randomUUID()}` });
		expect((await receive(bare)).duplicate).toBe(false);
		expect((await receive(bare)).duplicate).toBe(true);
	});

	it('replies thread by In-Reply-To, reopen a pending ticket, and staff replies are public replies', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const from = uniqueAddress('req');
		const firstId = `${randomUUID()}@client.test`;
		const t = processed(await receive(mime({ from, messageId: firstId })));
		await updateTicket(await scopeOf(agent), { ticket: t.ticketId, status: 'PENDING' });

		const answer = processed(
			await receive(
				mime({ from, subject: 'Re: Printer', inReplyTo: firstId, body: 'Still broken.' })
			)
		);
		expect(answer).toMatchObject({ ticketId: t.ticketId, created: false });
		let ticket = await ticketOf(t.ticketId);
		expect(ticket.status).toBe('OPEN');
		expect(ticket.entries.at(-1)).toMatchObject({
			kind: 'REPLY',
			source: 'EMAIL',
			body: 'Still broken.'
		});

		// An agent answering from their mail client: a public reply, the first response.
		const staffReply = processed(
			await receive(
				mime({
					from: agent.email,
					subject: 'Re: Printer',
					references: `<${firstId}>`,
					body: 'On my way.'
				})
			)
		);
		expect(staffReply.ticketId).toBe(t.ticketId);
		ticket = await ticketOf(t.ticketId);
		expect(ticket.entries.at(-1)).toMatchObject({ kind: 'REPLY', authorId: agent.id });
		expect(ticket.firstResponseAt).not.toBeNull();
	});

	it('the number in the subject threads only for people on the ticket; the reply token always', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const requester = await makeUser({ email: uniqueAddress('owner') });
		const t = await makeTicket(agent, { requesterId: requester.id });
		const mine = processed(
			await receive(mime({ from: requester.email, subject: `Re: [#${t.number}] Laptop` }))
		);
		expect(mine.ticketId).toBe(t.id);
		// A stranger naming the number opens a ticket of their own.
		const stranger = processed(
			await receive(mime({ from: uniqueAddress('x'), subject: `[#${t.number}] hello` }))
		);
		expect(stranger.created).toBe(true);
		// The reply token in the address leads back, whoever writes (they were sent the address).
		const byToken = processed(
			await receive(
				mime({
					from: uniqueAddress('cc'),
					to: replyAddress('support@mail.test', t.number),
					subject: 'Re: something'
				})
			)
		);
		expect(byToken.ticketId).toBe(t.id);
		// A forged token does not.
		const forged = processed(
			await receive(
				mime({ from: uniqueAddress('cc'), to: `support+t${t.number}-aaaaaaaaaa@mail.test` })
			)
		);
		expect(forged.created).toBe(true);
	});

	it('a requester writing to a closed ticket gets a follow-up ticket', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const from = uniqueAddress('req');
		const first = `${randomUUID()}@client.test`;
		const t = processed(await receive(mime({ from, messageId: first })));
		await updateTicket(await scopeOf(agent), { ticket: t.ticketId, status: 'CLOSED' });
		const follow = processed(
			await receive(mime({ from, inReplyTo: first, body: 'It broke again.' }))
		);
		expect(follow.created).toBe(true);
		const ticket = await ticketOf(follow.ticketId);
		const old = await ticketOf(t.ticketId);
		expect(ticket.description).toContain(`Follow-up to #${old.number} (closed).`);
	});

	it('auto-replies become notes without reopening; our own mail and stray auto-replies are ignored', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const account = await makeAccount();
		const from = uniqueAddress('ooo');
		const first = `${randomUUID()}@client.test`;
		const t = processed(await receive(mime({ from, messageId: first })));
		await updateTicket(await scopeOf(agent), { ticket: t.ticketId, status: 'PENDING' });
		const ooo = processed(
			await receive(
				mime({
					from,
					inReplyTo: first,
					subject: 'Out of office',
					headers: { 'Auto-Submitted': 'auto-replied' }
				})
			)
		);
		const ticket = await ticketOf(t.ticketId);
		expect(ticket.status).toBe('PENDING');
		expect(ticket.entries.find((e) => e.id === ooo.entryId)).toMatchObject({
			kind: 'NOTE',
			authorId: null,
			via: `mail: automatic reply from ${from}`
		});
		const stray = await receiveMail(mime({ from, headers: { Precedence: 'bulk' } }), {
			channel: 'SMTP',
			accountId: null
		});
		expect(stray.outcome).toEqual({
			status: 'IGNORED',
			reason: 'An automatic reply to nothing we sent.'
		});
		const loop = await receiveMail(mime({ from: account.address }), {
			channel: 'SMTP',
			accountId: null
		});
		expect(loop.outcome).toMatchObject({
			status: 'IGNORED',
			reason: expect.stringContaining('mail loop')
		});
	});

	it('a bounce attaches to the ticket its message belonged to and marks the sent mail failed', async () => {
		const from = uniqueAddress('gone');
		const t = processed(await receive(mime({ from })));
		const sentId = `${randomUUID()}@helpdesk.test`;
		await db().mailMessageRef.create({
			data: { messageId: sentId, ticketId: t.ticketId, outbound: true }
		});
		await db().outboundMail.create({
			data: {
				ticketId: t.ticketId,
				kind: 'ticket.reply',
				to: from,
				subject: 's',
				text: 't',
				html: 'h',
				messageId: sentId
			}
		});
		const boundary = 'b1';
		const dsn = Buffer.from(
			[
				'From: Mail Delivery System <mailer-daemon@relay.test>',
				'To: support@mail.test',
				'Subject: Undelivered Mail Returned to Sender',
				`Message-ID: <${randomUUID()}@relay.test>`,
				'MIME-Version: 1.0',
				`Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
				'',
				`--${boundary}`,
				'Content-Type: text/plain',
				'',
				'Your message could not be delivered.',
				`--${boundary}`,
				'Content-Type: message/delivery-status',
				'',
				'Reporting-MTA: dns; relay.test',
				'',
				`Final-Recipient: rfc822; ${from}`,
				'Action: failed',
				'Status: 5.1.1',
				`--${boundary}`,
				'Content-Type: text/rfc822-headers',
				'',
				`Message-ID: <${sentId}>`,
				`To: ${from}`,
				'Subject: Re: Printer',
				`--${boundary}--`,
				''
			].join('\r\n')
		);
		const r = processed(await receive(dsn));
		expect(r.ticketId).toBe(t.ticketId);
		const ticket = await ticketOf(t.ticketId);
		expect(ticket.entries.at(-1)).toMatchObject({
			kind: 'NOTE',
			via: `mail: delivery failed to ${from}`
		});
		const sent = await db().outboundMail.findUniqueOrThrow({ where: { messageId: sentId } });
		expect(sent).toMatchObject({ status: 'FAILED', lastError: `Bounced by ${from} (5.1.1)` });
	});

	it('holds a runaway sender and keeps over-size mail whole in the failed list', async () => {
		const from = uniqueAddress('loop');
		const ticket = processed(await receive(mime({ from, subject: 'first' })));
		for (let i = 1; i < SENDER_LIMIT_PER_HOUR; i++) {
			await receive(
				mime({
					from,
					subject: 'again',
					inReplyTo: undefined,
					references: undefined,
					body: `n ${i}`
				})
			);
		}
		const held = await receiveMail(mime({ from, body: 'one too many' }), {
			channel: 'SMTP',
			accountId: null
		});
		expect(held.outcome).toMatchObject({
			status: 'FAILED',
			reason: expect.stringContaining('Rate limited')
		});
		expect(
			(await db().inboundMail.findUniqueOrThrow({ where: { id: held.id } })).raw.length
		).toBeGreaterThan(0);
		expect(ticket.created).toBe(true);

		process.env.MAIL_MAX_BYTES = '2000';
		try {
			const big = mime({ from: uniqueAddress(), body: 'x'.repeat(5000) });
			const r = await receiveMail(big, { channel: 'SMTP', accountId: null });
			const row = await db().inboundMail.findUniqueOrThrow({ where: { id: r.id } });
			expect(row).toMatchObject({
				status: 'FAILED',
				reason: 'Larger than the limit of 0 MB.',
				size: big.length
			});
			expect(Buffer.from(row.raw).equals(big)).toBe(true);
		} finally {
			delete process.env.MAIL_MAX_BYTES;
		}
	});

	it('two workers on one stored message: one ticket; a message left behind is picked up later', async () => {
		const raw = mime({ from: uniqueAddress() });
		const stored = await storeRaw(raw, { channel: 'IMAP', accountId: null });
		const [a, b] = await Promise.all([processInbound(stored.id), processInbound(stored.id)]);
		const done = [a, b].filter((o) => o.status === 'PROCESSED');
		expect(done).toHaveLength(1);
		expect(await db().ticket.count({ where: { inboundMail: { some: { id: stored.id } } } })).toBe(
			1
		);

		// Stored, then the process died before importing: the sweep imports it.
		const left = await storeRaw(mime({ from: uniqueAddress() }), {
			channel: 'IMAP',
			accountId: null
		});
		await db().inboundMail.update({
			where: { id: left.id },
			data: { receivedAt: new Date(Date.now() - 60_000) }
		});
		expect(await processPending()).toBeGreaterThanOrEqual(1);
		expect((await db().inboundMail.findUniqueOrThrow({ where: { id: left.id } })).status).toBe(
			'PROCESSED'
		);
	});
});
