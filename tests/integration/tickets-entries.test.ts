import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { addEntry } from '../../src/lib/server/tickets/entries';
import { getTicket } from '../../src/lib/server/tickets/queries';
import { updateTicket } from '../../src/lib/server/tickets/update';
import { callerAs, makeUser } from '../helpers/factories';
import { makeTicket, scopeOf } from '../helpers/tickets';
import { errorShape, expectCode } from '../helpers/trpc';

describe('replies and internal notes', () => {
	it("an agent's first public reply opens a new ticket and stamps the first response", async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id });
		const e = await addEntry({ scope: await scopeOf(agent) }, { ticket: t.number, body: 'On it.' });
		expect(e.status).toBe('OPEN');
		const row = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
		expect(row.firstResponseAt).toBeInstanceOf(Date);
		expect(row.version).toBe(t.version + 1);
	});

	it('an internal note changes no status and no first-response time', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		await addEntry(
			{ scope: await scopeOf(agent) },
			{ ticket: t.id, kind: 'NOTE', body: 'Checking logs' }
		);
		const row = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
		expect([row.status, row.firstResponseAt]).toEqual(['NEW', null]);
	});

	it("the requester's reply reopens a pending or resolved ticket; a closed one asks for a new ticket", async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id, status: 'PENDING' });
		const userScope = await scopeOf(user);
		expect(
			(await addEntry({ scope: userScope }, { ticket: t.id, body: 'Here is the info' })).status
		).toBe('OPEN');
		await updateTicket(await scopeOf(agent), { ticket: t.id, status: 'RESOLVED' });
		expect(
			(await addEntry({ scope: userScope }, { ticket: t.id, body: 'Still broken' })).status
		).toBe('OPEN');
		await updateTicket(await scopeOf(agent), { ticket: t.id, status: 'CLOSED' });
		await expect(
			addEntry({ scope: userScope }, { ticket: t.id, body: 'Again' })
		).rejects.toMatchObject({ code: 'CONFLICT' });
	});

	it('an end user can neither write nor read internal notes', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id });
		await addEntry(
			{ scope: await scopeOf(agent) },
			{ ticket: t.id, kind: 'NOTE', body: 'Secret: user is on the watch list' }
		);
		await addEntry({ scope: await scopeOf(agent) }, { ticket: t.id, body: 'Public answer' });
		await expect(
			callerAs(user).tickets.addEntry({ ticket: t.id, kind: 'NOTE', body: 'sneaky' })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		const seen = await callerAs(user).tickets.get({ ticket: t.number });
		expect(seen.entries.map((e) => e.kind)).toEqual(['REPLY']);
		expect(JSON.stringify(seen)).not.toContain('Secret');
		const staffView = await getTicket(await scopeOf(agent), t.number);
		expect(staffView.entries.map((e) => e.kind)).toEqual(['NOTE', 'REPLY']);
	});

	it('another end user cannot see or reply to the ticket (not found)', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const owner = await makeUser({ role: 'END_USER' });
		const stranger = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: owner.id });
		await expect(callerAs(stranger).tickets.get({ ticket: t.number })).rejects.toMatchObject({
			code: 'NOT_FOUND'
		});
		await expect(
			callerAs(stranger).tickets.addEntry({ ticket: t.number, body: 'hi' })
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});

	it('mentions in a note notify the mentioned agent; the assignee and watchers hear about replies', async () => {
		const author = await makeUser({ role: 'AGENT' });
		const mentioned = await makeUser({ role: 'AGENT', name: 'Pat Mention' });
		const assignee = await makeUser({ role: 'AGENT' });
		const watcher = await makeUser({ role: 'AGENT' });
		const endUser = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(author, { assigneeId: assignee.id, watcherIds: [watcher.id] });
		await addEntry(
			{ scope: await scopeOf(author) },
			{
				ticket: t.id,
				kind: 'NOTE',
				body: `@[Pat Mention](user:${mentioned.id}) and @[Eve](user:${endUser.id}) please check`
			}
		);
		expect(
			await db().notification.count({ where: { userId: mentioned.id, type: 'ticket.mentioned' } })
		).toBe(1);
		expect(await db().notification.count({ where: { userId: endUser.id } })).toBe(0);
		expect(
			await db().notification.count({ where: { userId: assignee.id, type: 'ticket.activity' } })
		).toBe(1);
		expect(
			await db().notification.count({ where: { userId: watcher.id, type: 'ticket.activity' } })
		).toBe(1);
		expect(
			await db().notification.count({ where: { userId: author.id, type: 'ticket.activity' } })
		).toBe(0);
		const entry = await db().ticketEntry.findFirstOrThrow({ where: { ticketId: t.id } });
		expect(entry.mentions).toEqual([mentioned.id]);
		expect(entry.bodyHtml).toContain('<span class="mention"');
	});

	it('renders Markdown to sanitised HTML (no scripts, no event handlers, no javascript: links)', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent, {
			description:
				'**bold** <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))'
		});
		expect(t.descriptionHtml).toContain('<strong>bold</strong>');
		expect(t.descriptionHtml).not.toMatch(/script|onerror|javascript:/i);
	});

	it('rejects an empty message with a field error', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		const err = await expectCode(
			callerAs(agent).tickets.addEntry({ ticket: t.id, body: '   ' }),
			'BAD_REQUEST'
		);
		expect(errorShape(err, 'tickets.addEntry').data.fields).toEqual({ body: ['Write a message.'] });
	});
});
