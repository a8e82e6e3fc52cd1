import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { receiveMail } from '../../src/lib/server/mail/ingest';
import { runMailSend, SEND_BACKOFF_MINUTES, testSmtp } from '../../src/lib/server/mail/sender';
import { resetTemplate, saveTemplate } from '../../src/lib/server/mail/templates';
import { numberFromAddress } from '../../src/lib/server/mail/thread';
import { addEntry } from '../../src/lib/server/tickets/entries';
import { updateTicket } from '../../src/lib/server/tickets/update';
import { useOwnDatabase } from '../helpers/database';
import { makeUser } from '../helpers/factories';
import { makeAccount, mime, uniqueAddress } from '../helpers/mail';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';

/**
 * Outgoing mail through a real SMTP session (smtp-server as the receiving end). Mail accounts
 * that send are global (every ticket's mail goes out through one), so this file has a database
 * of its own.
 */
let restore: () => Promise<void>;
let server: SMTPServer;
let port: number;
const inbox: { to: string[]; mail: ParsedMail; raw: string }[] = [];
let refuse = false;

beforeAll(async () => {
	({ restore } = await useOwnDatabase());
	server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onRcptTo(address, _session, cb) {
			if (refuse) return cb(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
			cb();
		},
		onData(stream, session, cb) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks);
				simpleParser(raw).then(
					(mail) => {
						inbox.push({
							to: session.envelope.rcptTo.map((r) => r.address),
							mail,
							raw: raw.toString('utf8')
						});
						cb();
					},
					(err: Error) => cb(err)
				);
			});
		}
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	port = (server.server.address() as AddressInfo).port;
});
afterAll(async () => {
	await new Promise<void>((ok) => server.close(() => ok()));
	await restore();
});

async function sendingAccount(groupId?: string) {
	return makeAccount({
		smtpHost: '127.0.0.1',
		smtpPort: port,
		smtpSecurity: 'none',
		...(groupId ? { groupId } : {})
	});
}

const mailTo = (address: string) => inbox.filter((m) => m.to.includes(address));

describe('outgoing mail', () => {
	it('acknowledges a new ticket, sends agent replies and status changes, and replies thread back', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Alex Agent' });
		const group = await makeTeam([agent]);
		const account = await sendingAccount(group.id);
		const requester = uniqueAddress('dana');
		const t = await makeTicket(agent, {
			requester: { email: requester, name: 'Dana Scully' },
			subject: 'Laptop will not boot',
			groupId: group.id
		});
		// Queued with the ticket, sent by the job.
		expect(await db().outboundMail.count({ where: { ticketId: t.id } })).toBe(1);
		expect(await runMailSend()).toEqual({ sent: 1, retrying: 0, failed: 0 });
		const [ack] = mailTo(requester);
		expect(ack!.mail.subject).toBe(`[#${t.number}] We received your request: Laptop will not boot`);
		expect(ack!.mail.text).toContain('Hi Dana,');
		expect(ack!.mail.from?.value[0]?.address).toBe(account.address);
		const replyTo = ack!.mail.replyTo!.value[0]!.address!;
		expect(numberFromAddress(replyTo)).toBe(t.number);
		expect(ack!.mail.headers.get('auto-submitted')).toBe('auto-generated');
		const ackId = ack!.mail.messageId!;
		expect(ackId).toMatch(new RegExp(`^<helpdesk\\.${t.number}\\.`));

		// An agent's public reply: In-Reply-To/References point at the earlier mail.
		await addEntry(
			{ scope: await scopeOf(agent) },
			{ ticket: t.id, kind: 'REPLY', body: 'Please hold **F2** while it starts.' }
		);
		await addEntry(
			{ scope: await scopeOf(agent) },
			{ ticket: t.id, kind: 'NOTE', body: 'internal only' }
		);
		await runMailSend();
		const reply = mailTo(requester)[1]!;
		expect(reply.mail.subject).toBe(`[#${t.number}] Re: Laptop will not boot`);
		expect(reply.mail.text).toContain('Please hold **F2** while it starts.');
		expect(reply.mail.html).toContain('<strong>F2</strong>');
		expect(reply.mail.inReplyTo).toBe(ackId);
		expect(reply.mail.headers.get('auto-submitted')).toBeUndefined();
		expect(mailTo(requester)).toHaveLength(2); // the note was not mailed

		// The requester answers that mail: it threads back onto the ticket.
		const answer = await receiveMail(
			mime({
				from: requester,
				to: replyTo,
				subject: `Re: ${reply.mail.subject}`,
				inReplyTo: reply.mail.messageId!.slice(1, -1),
				body: 'F2 worked, thanks!'
			}),
			{ channel: 'SMTP', accountId: account.id }
		);
		expect(answer.outcome).toMatchObject({ status: 'PROCESSED', ticketId: t.id, created: false });

		// Resolved: the requester hears about it.
		await updateTicket(await scopeOf(agent), { ticket: t.id, status: 'RESOLVED' });
		await runMailSend();
		expect(mailTo(requester).at(-1)!.mail.subject).toBe(
			`[#${t.number}] Your request is resolved: Laptop will not boot`
		);
	});

	it('tells an agent about an assignment, by template the admin edited', async () => {
		await sendingAccount();
		const manager = await makeUser({ role: 'IT_MANAGER' });
		const agent = await makeUser({ role: 'AGENT', email: uniqueAddress('agent') });
		await saveTemplate({
			key: 'ticket.assigned',
			subject: 'Yours now: {{ticket.subject}}',
			body: 'Take #{{ticket.number}}: {{ticket.url}}'
		});
		try {
			const t = await makeTicket(manager, { requester: { email: uniqueAddress() } });
			await updateTicket(await scopeOf(manager), { ticket: t.id, assigneeId: agent.id });
			await runMailSend();
			const [mail] = mailTo(agent.email);
			expect(mail!.mail.subject).toBe(`[#${t.number}] Yours now: ${t.subject}`);
			expect(mail!.mail.text).toContain(`/app/tickets/${t.number}`);
		} finally {
			await resetTemplate('ticket.assigned');
		}
	});

	it('retries a refused mail with backoff, then marks it failed on the ticket', async () => {
		await sendingAccount();
		const agent = await makeUser({ role: 'AGENT' });
		const requester = uniqueAddress('bounce');
		refuse = true;
		try {
			const t = await makeTicket(agent, { requester: { email: requester } });
			let now = Date.now();
			const clock = () => new Date(now);
			expect(await runMailSend({ now: clock })).toMatchObject({ retrying: 1 });
			const queued = await db().outboundMail.findFirstOrThrow({ where: { ticketId: t.id } });
			expect(queued.lastError).toContain('550');
			expect(queued.nextAttemptAt!.getTime() - now).toBe(SEND_BACKOFF_MINUTES[0] * 60_000);
			for (const wait of SEND_BACKOFF_MINUTES) {
				now += wait * 60_000;
				await runMailSend({ now: clock });
			}
			const failed = await db().outboundMail.findFirstOrThrow({ where: { ticketId: t.id } });
			expect(failed).toMatchObject({ status: 'FAILED', attempts: SEND_BACKOFF_MINUTES.length + 1 });
			const history = await db().ticketEvent.findFirstOrThrow({
				where: { ticketId: t.id, field: 'mail' }
			});
			expect(history.toValue).toContain(`to ${requester}`);
		} finally {
			refuse = false;
		}
	});

	it('mails SLA escalations to the people they notify, and rule replies to the requester', async () => {
		await sendingAccount();
		const agent = await makeUser({ role: 'AGENT', email: uniqueAddress('oncall') });
		const team = await makeTeam([agent]);
		const calendar = await db().businessCalendar.create({
			data: { name: `24×7 ${randomUUID()}`, timeZone: 'UTC', alwaysOpen: true }
		});
		const target = { firstResponse: 60, resolution: 480 };
		await db().slaPolicy.create({
			data: {
				name: `Mail policy ${randomUUID()}`,
				calendarId: calendar.id,
				conditions: { groupIds: [team.id] },
				targets: { LOW: target, MEDIUM: target, HIGH: target, CRITICAL: target },
				escalations: {
					create: [{ metric: 'RESOLUTION', percent: 100, actions: { notify: ['assignee'] } }]
				}
			}
		});
		const { runSlaCheck } = await import('../../src/lib/server/sla/checker');
		const t = await makeTicket(agent, {
			groupId: team.id,
			assigneeId: agent.id,
			requester: { email: uniqueAddress() }
		});
		await runSlaCheck(new Date(Date.now() + 9 * 3_600_000));
		await runMailSend();
		const [warning] = mailTo(agent.email);
		expect(warning!.mail.subject).toBe(`[#${t.number}] SLA: ${t.subject}`);
		expect(warning!.mail.text).toContain('level 1 (100% of the resolution target)');

		const { createRule } = await import('../../src/lib/server/automation/admin');
		const admin = await makeUser({ role: 'ADMIN' });
		await createRule(
			{ id: admin.id },
			{
				name: `Thanks ${randomUUID().slice(0, 6)}`,
				trigger: 'CREATED',
				conditions: {
					match: 'all',
					conditions: [{ field: 'subject', op: 'contains', value: 'thanks-rule' }]
				},
				actions: [{ type: 'reply', body: 'Hi {{requester.firstName}}, we are on it.' }]
			}
		);
		const requester = uniqueAddress('rule');
		await makeTicket(agent, {
			subject: 'thanks-rule please',
			requester: { email: requester, name: 'Rita Rule' }
		});
		await runMailSend();
		const texts = mailTo(requester).map((m) => m.mail.text ?? '');
		expect(texts.some((x) => x.includes('Hi Rita, we are on it.'))).toBe(true);
	});

	it('"test connection" shows the server’s own error', async () => {
		expect(
			await testSmtp({
				smtpHost: '127.0.0.1',
				smtpPort: port,
				smtpSecurity: 'none',
				smtpUsername: null
			})
		).toEqual({ ok: true });
		const bad = await testSmtp({
			smtpHost: '127.0.0.1',
			smtpPort: 1,
			smtpSecurity: 'none',
			smtpUsername: null
		});
		expect(bad.ok).toBe(false);
		expect((bad as { error: string }).error).toMatch(/ECONNREFUSED|connect/i);
		expect(randomUUID()).toBeTruthy();
	});
});
