import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { addEntry } from '../../src/lib/server/tickets/entries';
import { listTickets } from '../../src/lib/server/tickets/list';
import { updateTicket } from '../../src/lib/server/tickets/update';
import * as ticketRoute from '../../src/routes/api/v1/tickets/[number]/+server';
import { callerAs, makeUser, sessionUserOf } from '../helpers/factories';
import { fakeEvent } from '../helpers/http';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';
import { errorShape, expectCode } from '../helpers/trpc';

describe('updateTicket', () => {
	it('changes properties, bumps the version and records every change with from → to', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Dana Agent' });
		const t = await makeTicket(agent, { priority: 'LOW' });
		const updated = await updateTicket(await scopeOf(agent), {
			ticket: t.number,
			version: t.version,
			priority: 'HIGH',
			status: 'OPEN',
			tags: ['vpn'],
			subject: t.subject
		});
		expect(updated).toMatchObject({
			priority: 'HIGH',
			status: 'OPEN',
			tags: ['vpn'],
			version: t.version + 1
		});
		const events = await db().ticketEvent.findMany({
			where: { ticketId: t.id, field: { not: 'created' } },
			orderBy: { field: 'asc' }
		});
		expect(events.map((e) => [e.field, e.fromValue, e.toValue, e.actorId])).toEqual([
			['priority', 'LOW', 'HIGH', agent.id],
			['status', 'NEW', 'OPEN', agent.id],
			['tags', '', 'vpn', agent.id]
		]);
	});

	it('a stale version is refused with who changed it, and nothing is overwritten', async () => {
		const dana = await makeUser({ role: 'AGENT', name: 'Dana Agent' });
		const sam = await makeUser({ role: 'AGENT', name: 'Sam Agent' });
		const t = await makeTicket(dana);
		await updateTicket(await scopeOf(dana), {
			ticket: t.id,
			version: t.version,
			priority: 'CRITICAL'
		});
		await expect(
			updateTicket(await scopeOf(sam), {
				ticket: t.id,
				version: t.version,
				priority: 'LOW',
				subject: 'Overwritten?'
			})
		).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringContaining('changed by Dana Agent just now')
		});
		const now = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
		expect(now).toMatchObject({ priority: 'CRITICAL', subject: t.subject });
	});

	it('two agents saving the same version at the same moment: exactly one wins', async () => {
		const a = await makeUser({ role: 'AGENT' });
		const b = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(a);
		const results = await Promise.allSettled([
			updateTicket(await scopeOf(a), { ticket: t.id, version: t.version, priority: 'HIGH' }),
			updateTicket(await scopeOf(b), { ticket: t.id, version: t.version, priority: 'LOW' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(results.filter((r) => r.status === 'rejected')[0]).toMatchObject({
			reason: { code: 'CONFLICT' }
		});
		expect(await db().ticketEvent.count({ where: { ticketId: t.id, field: 'priority' } })).toBe(1);
	});

	it('resolving stamps resolvedAt; reopening clears it; closing stamps closedAt', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const scope = await scopeOf(agent);
		const t = await makeTicket(agent);
		const r = await updateTicket(scope, { ticket: t.id, status: 'RESOLVED' });
		expect(r.resolvedAt).toBeInstanceOf(Date);
		const o = await updateTicket(scope, { ticket: t.id, status: 'OPEN' });
		expect([o.resolvedAt, o.closedAt]).toEqual([null, null]);
		const c = await updateTicket(scope, { ticket: t.id, status: 'CLOSED' });
		expect(c.closedAt).toBeInstanceOf(Date);
		expect(c.resolvedAt).toBeInstanceOf(Date);
	});

	it('saving unchanged values writes nothing', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent, { tags: ['a'] });
		const same = await updateTicket(await scopeOf(agent), {
			ticket: t.id,
			version: t.version,
			tags: ['a'],
			priority: t.priority
		});
		expect(same.version).toBe(t.version);
	});

	it('assigning tells the new assignee; moving to an auto-assigning group picks someone', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(admin);
		await updateTicket(await scopeOf(admin), { ticket: t.id, assigneeId: agent.id });
		expect(
			await db().notification.count({ where: { userId: agent.id, type: 'ticket.assigned' } })
		).toBe(1);

		const member = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([member], 'ROUND_ROBIN');
		const t2 = await makeTicket(admin);
		const moved = await updateTicket(await scopeOf(admin), { ticket: t2.id, groupId: team.id });
		expect(moved.assignee?.id).toBe(member.id);
	});

	it('an agent cannot touch a ticket of a group they are not in (not found); an end user may not update at all', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const outsider = await makeUser({ role: 'AGENT' });
		const member = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([member]);
		const t = await makeTicket(admin, { groupId: team.id });
		await expect(
			updateTicket(await scopeOf(outsider), { ticket: t.id, priority: 'LOW' })
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(
			updateTicket(await scopeOf(member), { ticket: t.id, priority: 'LOW' })
		).resolves.toMatchObject({ priority: 'LOW' });
		const user = await makeUser({ role: 'END_USER' });
		await expect(
			callerAs(user).tickets.update({ ticket: t.id, priority: 'HIGH' })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('refuses invalid values with per-field messages', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		const err = await expectCode(
			callerAs(agent).tickets.update({ ticket: t.id, status: 'DONE' as never, subject: '' }),
			'BAD_REQUEST'
		);
		expect(Object.keys(errorShape(err, 'tickets.update').data.fields ?? {}).sort()).toEqual([
			'status',
			'subject'
		]);
	});
});

/** A word no other test uses (searches see only this test's tickets). */
const word = (prefix: string) => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 10)}`;

describe('editing the subject and description', () => {
	it('saves both with history rows, re-renders the description as sanitised HTML and keeps search right', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Dana Agent' });
		const [oldWord, newWord, replyWord, tag] = ['old', 'new', 'reply', 'tag'].map(word);
		const t = await makeTicket(agent, {
			subject: `Printer ${oldWord} jams`,
			description: `The ${oldWord} printer jams.`,
			tags: [tag!]
		});
		await addEntry({ scope: await scopeOf(agent) }, { ticket: t.id, body: `Tried ${replyWord}.` });
		const { version } = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });

		const updated = await callerAs(agent).tickets.update({
			ticket: t.number,
			version,
			subject: `  Scanner ${newWord} offline  `,
			description: `**Scanner** ${newWord} is offline.\n\n<script>alert(1)</script><img src=x onerror=alert(1)>`
		});
		expect(updated).toMatchObject({ subject: `Scanner ${newWord} offline`, version: version + 1 });
		expect(updated.description).toContain('**Scanner**');
		expect(updated.descriptionHtml).toContain('<strong>Scanner</strong>');
		expect(updated.descriptionHtml).not.toMatch(/<script|onerror/);

		const events = await db().ticketEvent.findMany({
			where: { ticketId: t.id, field: { in: ['subject', 'description'] } },
			orderBy: { field: 'asc' }
		});
		expect(events.map((e) => [e.field, e.fromValue, e.toValue, e.actorId])).toEqual([
			// The description's history names the change, not two copies of a long text.
			['description', null, null, agent.id],
			['subject', `Printer ${oldWord} jams`, `Scanner ${newWord} offline`, agent.id]
		]);

		// The search vector follows the new text and keeps the conversation's words.
		const scope = await scopeOf(agent);
		const found = async (q: string) =>
			(await listTickets(scope, { tags: [tag!], q })).items.map((i) => i.id);
		expect(await found(newWord!)).toEqual([t.id]);
		expect(await found(`scanner ${newWord} offline`)).toEqual([t.id]);
		expect(await found(replyWord!)).toEqual([t.id]);
		expect(await found(oldWord!)).toEqual([]);
	});

	it('a description edited by a colleague meanwhile is not overwritten: conflict naming them', async () => {
		const dana = await makeUser({ role: 'AGENT', name: 'Dana Agent' });
		const sam = await makeUser({ role: 'AGENT', name: 'Sam Agent' });
		const t = await makeTicket(dana, { description: 'First text.' });
		await updateTicket(await scopeOf(dana), {
			ticket: t.id,
			version: t.version,
			description: 'Dana rewrote it.'
		});
		await expect(
			callerAs(sam).tickets.update({
				ticket: t.id,
				version: t.version,
				description: 'Sam rewrote it too.'
			})
		).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringContaining('changed by Dana Agent just now')
		});
		const now = await db().ticket.findUniqueOrThrow({ where: { id: t.id } });
		expect(now).toMatchObject({ description: 'Dana rewrote it.', version: t.version + 1 });
		expect(now.descriptionHtml).toContain('Dana rewrote it.');
	});

	it('takes the same limits as create, with per-field messages, and writes nothing when refused', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		const fieldsOf = async (input: { subject?: string; description?: string }) => {
			const err = await expectCode(
				callerAs(agent).tickets.update({ ticket: t.id, version: t.version, ...input }),
				'BAD_REQUEST'
			);
			return errorShape(err, 'tickets.update').data.fields ?? {};
		};
		expect(await fieldsOf({ subject: '  ab  ' })).toEqual({
			subject: ['Subject must be at least 3 characters.']
		});
		expect(await fieldsOf({ subject: 'x'.repeat(201) })).toEqual({
			subject: ['Subject must be at most 200 characters.']
		});
		expect(await fieldsOf({ description: 'y'.repeat(50_001) })).toEqual({
			description: ['Description must be at most 50,000 characters.']
		});
		expect(await db().ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({
			subject: t.subject,
			version: t.version
		});
		// The longest allowed values pass; an empty description is allowed, as at create.
		const longest = await callerAs(agent).tickets.update({
			ticket: t.id,
			version: t.version,
			subject: 's'.repeat(200),
			description: ''
		});
		expect(longest).toMatchObject({
			subject: 's'.repeat(200),
			description: '',
			descriptionHtml: ''
		});
	});

	it('an end user cannot edit the subject or description of their own ticket through any route', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser({ role: 'END_USER' });
		const t = await makeTicket(agent, { requesterId: user.id, description: 'Original.' });
		const edit = { subject: 'Hijacked subject', description: 'Hijacked.' };

		await expect(
			callerAs(user).tickets.update({ ticket: t.id, version: t.version, ...edit })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(
			updateTicket(await scopeOf(user), { ticket: t.id, ...edit })
		).rejects.toMatchObject({ code: 'FORBIDDEN' });

		// REST, signed in with the session (end users have no API keys).
		const { event } = fakeEvent({
			url: `http://localhost/api/v1/tickets/${t.number}`,
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(edit)
		});
		event.locals.user = sessionUserOf(user);
		Object.assign(event.params, { number: String(t.number) });
		const res = await ticketRoute.PATCH(event as never);
		expect(res.status).toBe(403);

		expect(await db().ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({
			subject: t.subject,
			description: 'Original.',
			version: t.version
		});
		expect(
			await db().ticketEvent.count({
				where: { ticketId: t.id, field: { in: ['subject', 'description'] } }
			})
		).toBe(0);
	});
});
