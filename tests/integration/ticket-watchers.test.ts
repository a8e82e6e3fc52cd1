import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { toSessionUser } from '../../src/lib/server/identity/sessions';
import { addEntry } from '../../src/lib/server/tickets/entries';
import {
	addWatcher,
	listWatchers,
	removeWatcher,
	unwatch,
	watch
} from '../../src/lib/server/tickets/watchers';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCallerFactory } from '../../src/lib/server/trpc/init';
import { ticketRelationsRouter } from '../../src/lib/server/trpc/routers/ticketRelations';
import { makeUser, type TestUser } from '../helpers/factories';
import { makeTeam, makeTicket, scopeOf } from '../helpers/tickets';

const relationsAs = (u: TestUser) =>
	createCallerFactory(ticketRelationsRouter)(createContext({ user: toSessionUser(u) }));

describe('ticket watchers', () => {
	it('an agent watches and unwatches a ticket; doing it twice changes nothing', async () => {
		const agent = await makeUser({ role: 'AGENT', name: 'Wendy Watcher' });
		const t = await makeTicket(agent);
		const scope = await scopeOf(agent);
		expect(await watch(scope, t.number)).toEqual([
			{ id: agent.id, name: 'Wendy Watcher', email: agent.email }
		]);
		expect(await watch(scope, t.number)).toHaveLength(1);
		expect(await unwatch(scope, t.id)).toEqual([]);
		expect(await unwatch(scope, t.id)).toEqual([]);
	});

	it('a watcher hears about new replies on the ticket', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const watcher = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		await addWatcher(await scopeOf(agent), { ticket: t.id, userId: watcher.id });
		await addEntry({ scope: await scopeOf(agent) }, { ticket: t.id, body: 'Update for you' });
		const notes = await db().notification.findMany({ where: { userId: watcher.id } });
		expect(notes.map((n) => n.type)).toContain('ticket.activity');
	});

	it('adds and removes other agents, listed oldest first', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const first = await makeUser({ role: 'AGENT' });
		const second = await makeUser({ role: 'IT_MANAGER' });
		const t = await makeTicket(agent);
		const scope = await scopeOf(agent);
		await addWatcher(scope, { ticket: t.id, userId: first.id });
		await addWatcher(scope, { ticket: t.id, userId: second.id });
		expect((await listWatchers(scope, t.id)).map((w) => w.id)).toEqual([first.id, second.id]);
		expect(
			(await removeWatcher(scope, { ticket: t.id, userId: first.id })).map((w) => w.id)
		).toEqual([second.id]);
	});

	it('only active staff can be watchers', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const endUser = await makeUser({ role: 'END_USER' });
		const gone = await makeUser({ role: 'AGENT', active: false });
		const t = await makeTicket(agent);
		const scope = await scopeOf(agent);
		for (const u of [endUser, gone]) {
			await expect(addWatcher(scope, { ticket: t.id, userId: u.id })).rejects.toMatchObject({
				code: 'BAD_REQUEST',
				fields: { userId: ['Only active agents can watch tickets.'] }
			});
		}
		expect(await listWatchers(scope, t.id)).toEqual([]);
	});

	it('a ticket the agent cannot see cannot be watched (not found)', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const outsider = await makeUser({ role: 'AGENT' });
		const team = await makeTeam([outsider]);
		const theirs = await makeTicket(outsider, { groupId: team.id });
		await expect(watch(await scopeOf(agent), theirs.id)).rejects.toMatchObject({
			code: 'NOT_FOUND'
		});
	});

	it('end users can neither see nor change watchers, even on their own ticket', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const agent = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(user);
		const scope = await scopeOf(user);
		await expect(listWatchers(scope, t.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(addWatcher(scope, { ticket: t.id, userId: agent.id })).rejects.toMatchObject({
			code: 'FORBIDDEN'
		});
		await expect(relationsAs(user).watch({ ticket: t.id })).rejects.toMatchObject({
			code: 'FORBIDDEN'
		});
	});

	it('the router: watch, list, add, remove and unwatch', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const other = await makeUser({ role: 'AGENT' });
		const t = await makeTicket(agent);
		const caller = relationsAs(agent);
		await caller.watch({ ticket: t.number });
		await caller.addWatcher({ ticket: t.number, userId: other.id });
		expect((await caller.watchers({ ticket: t.number })).map((w) => w.id)).toEqual([
			agent.id,
			other.id
		]);
		await caller.removeWatcher({ ticket: t.number, userId: other.id });
		expect(await caller.unwatch({ ticket: t.number })).toEqual([]);
	});
});
