import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBus } from '../../src/lib/server/realtime/bus';
import { markRead, notify } from '../../src/lib/server/identity/notifications';
import { callerAs, makeUser, subscriberAs } from '../helpers/factories';
import { nextMatching, TIMED_OUT, within } from '../helpers/async';

// As at boot (startRuntime): the bus listener is running before anyone subscribes.
beforeAll(() => startBus());

const controllers: AbortController[] = [];
afterEach(() => {
	for (const c of controllers.splice(0)) c.abort();
});

/** A subscription called through a caller is an async iterable; tests step through it. */
const iterate = <T>(iterable: AsyncIterable<T>) => iterable[Symbol.asyncIterator]();

function signal(): AbortSignal {
	const controller = new AbortController();
	controllers.push(controller);
	return controller.signal;
}

describe('notifications.onCount', () => {
	it('yields the current unread count, then the new count after a notification for that user', async () => {
		const user = await makeUser({ role: 'AGENT' });
		await notify(user.id, { type: 't', title: 'before' });
		const counts = iterate(await subscriberAs(user, signal()).notifications.onCount());

		expect(await counts.next()).toEqual({ done: false, value: 1 });
		await notify(user.id, { type: 't', title: 'after' });
		expect(await within(counts.next(), 5000)).toEqual({ done: false, value: 2 });
	});

	it("another user's notification produces no value; reading mine does", async () => {
		const user = await makeUser({ role: 'END_USER' });
		const other = await makeUser({ role: 'END_USER' });
		const counts = iterate(await subscriberAs(user, signal()).notifications.onCount());
		expect((await counts.next()).value).toBe(0);

		const pending = counts.next();
		await notify(other.id, { type: 't', title: 'not for you' });
		expect(await within(pending, 400)).toBe(TIMED_OUT);

		await notify(user.id, { type: 't', title: 'for you' });
		expect(await within(pending, 5000)).toEqual({ done: false, value: 1 });
		await markRead(user.id);
		expect(await within(counts.next(), 5000)).toEqual({ done: false, value: 0 });
	});

	it('ends when the subscription is aborted', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const controller = new AbortController();
		const counts = iterate(await subscriberAs(user, controller.signal).notifications.onCount());
		await counts.next();
		const pending = counts.next();
		controller.abort();
		expect(await within(pending, 2000)).toEqual({ done: true, value: undefined });
	});
});

describe('users.changes (admins)', () => {
	it('an admin sees which user changed and how', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const target = await makeUser({ role: 'END_USER' });
		const changes = iterate(await subscriberAs(admin, signal()).users.changes());
		const forTarget = (change: string) => (c: { userId: string; change: string }) =>
			c.userId === target.id && c.change === change;

		const role = nextMatching(changes, forTarget('role'));
		await callerAs(admin).users.changeRole({ id: target.id, role: 'AGENT' });
		expect(await role).toEqual({ userId: target.id, change: 'role' });

		const deactivated = nextMatching(changes, forTarget('deactivated'));
		await callerAs(admin).users.setActive({ id: target.id, active: false });
		expect(await deactivated).toEqual({ userId: target.id, change: 'deactivated' });
	});

	it('new users are announced as created', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const changes = iterate(await subscriberAs(admin, signal()).users.changes());
		const first = changes.next(); // start listening
		const created = await callerAs(admin).users.create({
			name: 'Fresh',
			email: `fresh-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@test.example`,
			role: 'END_USER'
		});
		const seen = [await first];
		while (!seen.some((r) => !r.done && r.value.userId === created.id)) {
			seen.push(await changes.next());
		}
		expect(seen.at(-1)?.value).toEqual({ userId: created.id, change: 'created' });
	});
});
