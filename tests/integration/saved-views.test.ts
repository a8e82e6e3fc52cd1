import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCallerFactory, router } from '../../src/lib/server/trpc/init';
import { savedViewsRouter } from '../../src/lib/server/trpc/routers/savedViews';
import { builtInViews, MAX_VIEWS_PER_USER } from '../../src/lib/server/tickets/views';
import { auditOf, makeUser, sessionUserOf, type TestUser } from '../helpers/factories';
import { errorShape, expectCode } from '../helpers/trpc';
import { makeTeam, makeTicket } from '../helpers/tickets';

// The router on its own, so these tests do not depend on where the root router mounts it.
const callerOf = createCallerFactory(router({ savedViews: savedViewsRouter }));
const as = (u: TestUser) => callerOf(createContext({ user: sessionUserOf(u) })).savedViews;

describe('saved views', () => {
	it('an agent saves a personal view that only they see, after the built-in views', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const other = await makeUser({ role: 'AGENT' });
		const view = await as(agent).create({
			name: '  Printers  ',
			filters: { q: 'printer', status: ['OPEN'], tags: ['Hardware'] }
		});
		expect(view).toMatchObject({
			name: 'Printers',
			shared: false,
			editable: true,
			owner: { id: agent.id },
			filters: { q: 'printer', status: ['OPEN'], tags: ['hardware'], sort: 'updated', dir: 'desc' }
		});

		const list = await as(agent).list();
		expect(list.builtIn.map((v) => v.name)).toEqual([
			'My open tickets',
			'Unassigned',
			'All open',
			'Recently updated',
			'Resolved'
		]);
		expect(list.views.map((v) => v.id)).toEqual([view.id]);
		expect((await as(other).list()).views.map((v) => v.id)).not.toContain(view.id);
	});

	it('filters are validated on save with the list schema; the page cursor and size are not kept', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const err = await expectCode(
			as(agent).create({ name: 'Bad', filters: { status: ['WAITING' as 'OPEN'] } }),
			'BAD_REQUEST'
		);
		expect(Object.keys(errorShape(err, 'savedViews.create').data.fields ?? {})).toContain(
			'filters'
		);
		const noName = await expectCode(as(agent).create({ name: ' ', filters: {} }), 'BAD_REQUEST');
		expect(errorShape(noName, 'savedViews.create').data.fields?.name).toEqual([
			'Name is required.'
		]);

		const view = await as(agent).create({
			name: 'Cursor',
			filters: { cursor: 'abc', limit: 5, createdFrom: '2026-01-01' } as never
		});
		const stored = await db().savedView.findUniqueOrThrow({ where: { id: view.id } });
		expect(stored.filters).toEqual({
			createdFrom: '2026-01-01T00:00:00.000Z',
			sort: 'updated',
			dir: 'desc'
		});
		expect(view.filters.createdFrom).toEqual(new Date('2026-01-01T00:00:00.000Z'));
	});

	it('renames and changes filters; a second view with the same name is CONFLICT on name', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const a = await as(agent).create({ name: 'Mine', filters: { assignee: ['me'] } });
		const b = await as(agent).create({ name: 'Urgent', filters: { priority: ['CRITICAL'] } });
		const renamed = await as(agent).update({
			id: a.id,
			name: 'Mine, high first',
			filters: { assignee: ['me'], sort: 'priority' }
		});
		expect(renamed).toMatchObject({
			name: 'Mine, high first',
			filters: { assignee: ['me'], sort: 'priority' }
		});
		const clash = await expectCode(
			as(agent).update({ id: b.id, name: 'mine, HIGH first' }),
			'CONFLICT'
		);
		expect(errorShape(clash, 'savedViews.update').data.fields).toEqual({
			name: ['You already have a view with this name.']
		});
		await expectCode(as(agent).create({ name: 'URGENT', filters: {} }), 'CONFLICT');
		// Renaming a view to its own name is not a clash.
		await as(agent).update({ id: b.id, name: 'Urgent' });
	});

	it("someone else's personal view is not found: not listed, not changed, not deleted", async () => {
		const owner = await makeUser({ role: 'AGENT' });
		const other = await makeUser({ role: 'IT_MANAGER' });
		const view = await as(owner).create({ name: 'Private', filters: {} });
		await expectCode(as(other).update({ id: view.id, name: 'Mine now' }), 'NOT_FOUND');
		await expectCode(as(other).delete({ id: view.id }), 'NOT_FOUND');
		await expectCode(as(other).reorder({ ids: [view.id] }), 'NOT_FOUND');
		expect(await db().savedView.findUniqueOrThrow({ where: { id: view.id } })).toMatchObject({
			name: 'Private'
		});
	});

	it('only managers share views; every agent then sees them but cannot change them', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const manager = await makeUser({ role: 'IT_MANAGER' });
		const err = await expectCode(
			as(agent).create({ name: 'For all', filters: {}, shared: true }),
			'FORBIDDEN'
		);
		expect(err.message).toBe('Only managers can share views.');
		const mine = await as(agent).create({ name: 'Just me', filters: {} });
		await expectCode(as(agent).update({ id: mine.id, shared: true }), 'FORBIDDEN');

		const shared = await as(manager).create({
			name: 'Team queue',
			filters: { assignee: ['me'], status: ['OPEN'] },
			shared: true
		});
		const seen = (await as(agent).list()).views.find((v) => v.id === shared.id);
		expect(seen).toMatchObject({ shared: true, editable: false, owner: { name: manager.name } });
		await expectCode(as(agent).update({ id: shared.id, name: 'Hijacked' }), 'FORBIDDEN');
		await expectCode(as(agent).delete({ id: shared.id }), 'FORBIDDEN');
		await expectCode(as(agent).reorder({ ids: [mine.id, shared.id] }), 'FORBIDDEN');

		// Another manager may edit it; sharing changes are audited.
		const other = await makeUser({ role: 'ADMIN' });
		await as(other).update({ id: shared.id, name: 'Team queue (open)' });
		await as(other).delete({ id: shared.id });
		expect((await as(agent).list()).views.map((v) => v.id)).not.toContain(shared.id);
		expect((await auditOf(shared.id)).map((a) => [a.action, a.actorId])).toEqual([
			['view.create', manager.id],
			['view.update', other.id],
			['view.delete', other.id]
		]);
	});

	it('reorder keeps the new order of the caller’s views; their own come before shared ones', async () => {
		const manager = await makeUser({ role: 'IT_MANAGER' });
		const agent = await makeUser({ role: 'AGENT' });
		const shared = await as(manager).create({ name: 'Shared', filters: {}, shared: true });
		const a = await as(agent).create({ name: 'A', filters: {} });
		const b = await as(agent).create({ name: 'B', filters: {} });
		const c = await as(agent).create({ name: 'C', filters: {} });
		const reordered = await as(agent).reorder({ ids: [c.id, a.id, b.id] });
		const ids = reordered.map((v) => v.id);
		expect(ids.slice(0, 3)).toEqual([c.id, a.id, b.id]);
		expect(ids.indexOf(shared.id)).toBeGreaterThan(2);
		expect((await as(agent).list()).views.slice(0, 3).map((v) => v.name)).toEqual(['C', 'A', 'B']);
		await as(manager).delete({ id: shared.id });
	});

	it('deleting a view removes it for good', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const view = await as(agent).create({ name: 'Temp', filters: {} });
		expect(await as(agent).delete({ id: view.id })).toEqual({ ok: true });
		expect(await db().savedView.findUnique({ where: { id: view.id } })).toBeNull();
		await expectCode(as(agent).delete({ id: view.id }), 'NOT_FOUND');
	});

	it(`an agent keeps at most ${MAX_VIEWS_PER_USER} views`, async () => {
		const agent = await makeUser({ role: 'AGENT' });
		await db().savedView.createMany({
			data: Array.from({ length: MAX_VIEWS_PER_USER }, (_, i) => ({
				name: `View ${i}`,
				ownerId: agent.id,
				filters: {},
				position: i
			}))
		});
		const err = await expectCode(
			as(agent).create({ name: 'One more', filters: {} }),
			'BAD_REQUEST'
		);
		expect(err.message).toMatch(/at most 50 views/);
	});

	it('a stored filter that is no longer valid is dropped when read, the rest still applies', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const row = await db().savedView.create({
			data: {
				name: 'Old',
				ownerId: agent.id,
				filters: { status: ['OPEN'], priority: ['URGENT'], sort: 'colour' }
			}
		});
		const view = (await as(agent).list()).views.find((v) => v.id === row.id);
		expect(view?.filters).toEqual({ status: ['OPEN'], sort: 'updated', dir: 'desc' });
	});

	it('counts each view within the caller’s scope, built-in views included', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const admin = await makeUser({ role: 'ADMIN' });
		const team = await makeTeam([agent]);
		const hidden = await makeTeam([]);
		const tag = `count-${agent.id.slice(0, 8)}`;
		await makeTicket(admin, { groupId: team.id, assigneeId: agent.id, tags: [tag] });
		await makeTicket(admin, { groupId: team.id, assigneeId: agent.id, status: 'PENDING' });
		await makeTicket(admin, { groupId: team.id, assigneeId: agent.id, status: 'RESOLVED' });
		await makeTicket(admin, { groupId: hidden.id, tags: [tag] });
		const tagged = await as(agent).create({ name: 'Tagged', filters: { tags: [tag] } });

		const counts = await as(agent).counts();
		expect(counts.mine).toEqual({ count: 2, capped: false });
		expect(counts[tagged.id]).toEqual({ count: 1, capped: false });
		expect(counts.all?.count).toBeGreaterThanOrEqual(3);
		expect(Object.keys(counts)).toEqual(
			expect.arrayContaining(['all', ...builtInViews().map((v) => v.id)])
		);
		// The admin sees the ticket of the other team too.
		await as(admin).create({ name: 'Tagged', filters: { tags: [tag] } });
		const adminCounts = await as(admin).counts();
		const adminView = (await as(admin).list()).views.find((v) => v.name === 'Tagged');
		expect(adminCounts[adminView!.id]).toEqual({ count: 2, capped: false });
	});

	it('a category filter is kept by the view and counts only tickets of that exact category', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const admin = await makeUser({ role: 'ADMIN' });
		const suffix = agent.id.slice(0, 8);
		const parent = await db().ticketCategory.create({ data: { name: `Hardware ${suffix}` } });
		const child = await db().ticketCategory.create({
			data: { name: 'Printer', parentId: parent.id }
		});
		const tag = `cat-${suffix}`;
		await makeTicket(admin, { categoryId: child.id, tags: [tag] });
		await makeTicket(admin, { categoryId: parent.id, tags: [tag] });
		await makeTicket(admin, { tags: [tag] });

		const view = await as(agent).create({
			name: 'Printers',
			filters: { category: [child.id], tags: [tag] }
		});
		expect(view.filters).toMatchObject({ category: [child.id], tags: [tag] });
		const listed = (await as(agent).list()).views.find((v) => v.id === view.id);
		expect(listed?.filters.category).toEqual([child.id]);
		expect((await as(agent).counts())[view.id]).toEqual({ count: 1, capped: false });

		const both = await as(agent).update({
			id: view.id,
			filters: { category: [child.id, parent.id], tags: [tag] }
		});
		expect(both.filters.category).toEqual([child.id, parent.id]);
		expect((await as(agent).counts())[view.id]).toEqual({ count: 2, capped: false });
		await expectCode(
			as(agent).update({ id: view.id, filters: { category: ['printers'] } }),
			'BAD_REQUEST'
		);
	});

	it('"Recently updated" starts a week before today (UTC midnight)', () => {
		const recent = builtInViews(new Date('2026-03-10T15:30:00Z')).find((v) => v.id === 'recent');
		expect(recent?.filters.updatedFrom).toEqual(new Date('2026-03-03T00:00:00Z'));
	});
});
