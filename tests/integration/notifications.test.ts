import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { notify } from '../../src/lib/server/identity/notifications';
import { callerAs, makeUser } from '../helpers/factories';

describe('notifications', () => {
	it('unreadCount counts my unread notifications only', async () => {
		const me = await makeUser({ role: 'AGENT' });
		const other = await makeUser({ role: 'AGENT' });
		expect(await callerAs(me).notifications.unreadCount()).toBe(0);
		await notify(me.id, { type: 't', title: 'one' });
		await notify(me.id, { type: 't', title: 'two', body: 'details', link: '/app' });
		await notify(other.id, { type: 't', title: 'not mine' });
		expect(await callerAs(me).notifications.unreadCount()).toBe(2);

		const list = await callerAs(me).notifications.list();
		expect(list.map((n) => n.title).sort()).toEqual(['one', 'two']);
		expect(list.find((n) => n.title === 'two')).toMatchObject({
			body: 'details',
			link: '/app',
			readAt: null
		});
		expect(list.find((n) => n.title === 'one')).toMatchObject({ body: null, link: null });
	});

	it('markRead with ids marks only those of mine; ids of others are ignored', async () => {
		const me = await makeUser({ role: 'END_USER' });
		const other = await makeUser({ role: 'END_USER' });
		await notify(me.id, { type: 't', title: 'a' });
		await notify(me.id, { type: 't', title: 'b' });
		await notify(other.id, { type: 't', title: 'theirs' });
		const a = await db().notification.findFirstOrThrow({ where: { userId: me.id, title: 'a' } });
		const theirs = await db().notification.findFirstOrThrow({ where: { userId: other.id } });

		expect(
			await callerAs(me).notifications.markRead({ ids: [a.id, theirs.id, randomUUID()] })
		).toEqual({
			updated: 1
		});
		expect(await callerAs(me).notifications.unreadCount()).toBe(1);
		expect(
			(await db().notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt
		).toBeNull();
		// Already read: nothing to update.
		expect(await callerAs(me).notifications.markRead({ ids: [a.id] })).toEqual({ updated: 0 });
	});

	it("markRead without ids marks all of mine read and no one else's", async () => {
		const me = await makeUser({ role: 'AGENT' });
		const other = await makeUser({ role: 'AGENT' });
		for (const title of ['x', 'y', 'z']) await notify(me.id, { type: 't', title });
		await notify(other.id, { type: 't', title: 'keep' });
		expect(await callerAs(me).notifications.markRead({})).toEqual({ updated: 3 });
		expect(await callerAs(me).notifications.unreadCount()).toBe(0);
		expect(await callerAs(other).notifications.unreadCount()).toBe(1);
	});

	it('the list is newest first and capped at 30', async () => {
		const me = await makeUser({ role: 'AGENT' });
		const base = Date.now() - 60_000;
		await db().notification.createMany({
			data: Array.from({ length: 35 }, (_, i) => ({
				userId: me.id,
				type: 't',
				title: `n${i}`,
				createdAt: new Date(base + i * 1000)
			}))
		});
		const list = await callerAs(me).notifications.list();
		expect(list).toHaveLength(30);
		expect(list[0]?.title).toBe('n34');
		expect(list[29]?.title).toBe('n5');
	});
});
