import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderCanned } from '../../src/lib/server/tickets/canned';
import { toSessionUser } from '../../src/lib/server/identity/sessions';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCallerFactory, router } from '../../src/lib/server/trpc/init';
import { cannedResponsesRouter } from '../../src/lib/server/trpc/routers/cannedResponses';
import { auditOf, makeGroup, makeUser, type TestUser } from '../helpers/factories';
import { makeTeam, makeTicket } from '../helpers/tickets';
import { expectCode } from '../helpers/trpc';

const testRouter = router({ cannedResponses: cannedResponsesRouter });
const cannedAs = (user: TestUser) =>
	createCallerFactory(testRouter)(createContext({ user: toSessionUser(user) })).cannedResponses;
const uid = () => randomUUID().slice(0, 8);

describe('renderCanned', () => {
	const ctx = {
		requester: { name: 'Uma  van User', email: 'uma@example.com' },
		ticket: { number: 1042, subject: 'VPN drops', status: 'ON_HOLD' },
		agent: { name: 'Alex Agent' }
	};

	it('fills every placeholder, tolerating spaces inside the braces', () => {
		const body =
			'{{requester.name}}|{{ requester.firstName }}|{{requester.email}}|#{{ticket.number}}|' +
			'{{ticket.subject}}|{{ticket.status}}|{{agent.name}}|{{  agent.firstName}}';
		expect(renderCanned(body, ctx)).toBe(
			'Uma  van User|Uma|uma@example.com|#1042|VPN drops|On hold|Alex Agent|Alex'
		);
	});

	it('leaves unknown placeholders, and known ones without data, as written', () => {
		expect(renderCanned('{{ticket.priority}} {{foo}} {{constructor.name}}', ctx)).toBe(
			'{{ticket.priority}} {{foo}} {{constructor.name}}'
		);
		expect(renderCanned('Hi {{requester.firstName}}, #{{ticket.number}}', {})).toBe(
			'Hi {{requester.firstName}}, #{{ticket.number}}'
		);
		expect(renderCanned('{{requester.email}}', { requester: { name: 'X' } })).toBe(
			'{{requester.email}}'
		);
	});
});

describe('canned responses', () => {
	it('an agent keeps their own responses; lists show shared ones and their own, not colleagues’', async () => {
		const manager = await makeUser({ role: 'IT_MANAGER' });
		const agent = await makeUser({ role: 'AGENT' });
		const colleague = await makeUser({ role: 'AGENT' });
		const tag = uid();
		const shared = await cannedAs(manager).create({
			title: `Shared ${tag}`,
			body: 'For all',
			shared: true
		});
		const own = await cannedAs(agent).create({ title: `  Mine ${tag} `, body: 'Only me' });
		const theirs = await cannedAs(colleague).create({ title: `Theirs ${tag}`, body: 'Not yours' });
		expect(own).toMatchObject({ title: `Mine ${tag}`, shared: false, editable: true });

		const list = await cannedAs(agent).list({ search: tag });
		expect(list.map((c) => [c.id, c.shared, c.editable])).toEqual([
			[own.id, false, true],
			[shared.id, true, false]
		]);
		expect((await cannedAs(agent).list({ search: 'only ME' })).map((c) => c.id)).toContain(own.id);
		expect((await cannedAs(agent).list()).map((c) => c.id)).not.toContain(theirs.id);
		expect((await cannedAs(manager).list({ search: tag }))[0]).toMatchObject({
			id: shared.id,
			editable: true
		});
	});

	it('agents may not create, change or delete shared responses; managers may', async () => {
		const manager = await makeUser({ role: 'IT_MANAGER' });
		const agent = await makeUser({ role: 'AGENT' });
		await expectCode(
			cannedAs(agent).create({ title: 'Everyone', body: 'x', shared: true }),
			'FORBIDDEN'
		);
		const shared = await cannedAs(manager).create({
			title: `Shared ${uid()}`,
			body: 'x',
			shared: true
		});
		await expectCode(
			cannedAs(agent).update({ id: shared.id, title: 'Mine now', body: 'x' }),
			'FORBIDDEN'
		);
		await expectCode(cannedAs(agent).delete({ id: shared.id }), 'FORBIDDEN');
		const own = await cannedAs(agent).create({ title: `Own ${uid()}`, body: 'x' });
		await expectCode(
			cannedAs(agent).update({ id: own.id, title: own.title, body: 'x', shared: true }),
			'FORBIDDEN'
		);

		const edited = await cannedAs(manager).update({
			id: shared.id,
			title: 'Edited',
			body: 'y',
			shared: true
		});
		expect(edited).toMatchObject({ title: 'Edited', body: 'y', shared: true });
		expect(await cannedAs(manager).delete({ id: shared.id })).toEqual({ ok: true });
		expect((await auditOf(shared.id)).map((a) => [a.action, a.actorId])).toEqual([
			['cannedResponse.create', manager.id],
			['cannedResponse.update', manager.id],
			['cannedResponse.delete', manager.id]
		]);
	});

	it('a manager may share their own response and make a shared one their own again', async () => {
		const manager = await makeUser({ role: 'ADMIN' });
		const own = await cannedAs(manager).create({ title: `Mine ${uid()}`, body: 'x' });
		const shared = await cannedAs(manager).update({ ...own, shared: true });
		expect(shared.shared).toBe(true);
		const other = await makeUser({ role: 'AGENT' });
		expect((await cannedAs(other).list()).map((c) => c.id)).toContain(own.id);
		const back = await cannedAs(manager).update({ ...own, shared: false });
		expect(back.shared).toBe(false);
		expect((await cannedAs(other).list()).map((c) => c.id)).not.toContain(own.id);
	});

	it('a colleague’s own response is not found, to read, change or delete', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const colleague = await makeUser({ role: 'AGENT' });
		const theirs = await cannedAs(colleague).create({ title: `Theirs ${uid()}`, body: 'x' });
		await expectCode(cannedAs(agent).update({ id: theirs.id, title: 'x', body: 'x' }), 'NOT_FOUND');
		await expectCode(cannedAs(agent).delete({ id: theirs.id }), 'NOT_FOUND');
		const ticket = await makeTicket(agent);
		await expectCode(cannedAs(agent).render({ ticket: ticket.id, id: theirs.id }), 'NOT_FOUND');
	});

	it('renders a response for a ticket the agent sees, and refuses one they do not', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Alex Agent' });
		const requester = await makeUser({ role: 'END_USER', name: 'Uma User' });
		const team = await makeTeam([agent]);
		const ticket = await makeTicket(agent, {
			requesterId: requester.id,
			groupId: team.id,
			subject: 'Printer jam'
		});
		const canned = await cannedAs(agent).create({
			title: `Hello ${uid()}`,
			body: 'Hi {{requester.firstName}} ({{ requester.email }}), about #{{ticket.number}} “{{ticket.subject}}” ({{ticket.status}}). {{agent.firstName}} {{unknown.thing}}'
		});
		const rendered = await cannedAs(agent).render({ ticket: `#${ticket.number}`, id: canned.id });
		expect(rendered).toEqual({
			id: canned.id,
			title: canned.title,
			body: `Hi Uma (${requester.email}), about #${ticket.number} “Printer jam” (${ticket.status === 'NEW' ? 'New' : 'Open'}). Alex {{unknown.thing}}`
		});

		const hidden = await makeTicket(await makeUser({ role: 'ADMIN' }), {
			groupId: (await makeGroup()).id
		});
		await expectCode(cannedAs(agent).render({ ticket: hidden.id, id: canned.id }), 'NOT_FOUND');
	});

	it('end users may not use canned responses; bad input is BAD_REQUEST', async () => {
		const user = await makeUser({ role: 'END_USER' });
		await expectCode(cannedAs(user).list(), 'FORBIDDEN');
		await expectCode(cannedAs(user).create({ title: 'x', body: 'y' }), 'FORBIDDEN');
		const agent = await makeUser({ role: 'AGENT' });
		await expectCode(cannedAs(agent).create({ title: ' ', body: 'y' }), 'BAD_REQUEST');
	});
});
