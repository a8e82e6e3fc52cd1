import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pgPool } from '../../src/lib/server/db/pool';
import { events, publish, startBus, stopBus } from '../../src/lib/server/realtime/bus';
import type { AppEvent } from '../../src/lib/server/realtime/events';
import { eventually, nextMatching, TIMED_OUT, within } from '../helpers/async';

const CHANNEL = 'itsm_events';

/* Every test file's process listens on the same channel, so tests match their own unique ids. */
const groupEvent = (): AppEvent => ({ type: 'GroupChanged', groupId: randomUUID() });
const isGroup = (id: string) => (e: AppEvent) => e.type === 'GroupChanged' && e.groupId === id;
const idOf = (e: AppEvent) => (e as { groupId: string }).groupId;

// The app starts its listener at boot (startRuntime); an event sent before LISTEN is active is
// not delivered by PostgreSQL to anyone, so the tests start it the same way.
beforeAll(() => startBus());

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0)) await fn();
});

function listen() {
	const controller = new AbortController();
	const iterator = events(controller.signal);
	cleanups.push(() => controller.abort());
	return { iterator, controller };
}

async function rawListener() {
	const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
	await client.connect();
	const received: AppEvent[] = [];
	client.on('notification', (msg) => {
		if (msg.channel === CHANNEL && msg.payload) received.push(JSON.parse(msg.payload) as AppEvent);
	});
	await client.query(`LISTEN ${CHANNEL}`);
	cleanups.push(() => client.end());
	return { client, received };
}

describe('the event bus (PostgreSQL LISTEN/NOTIFY)', () => {
	it('an event published here reaches an events() iterator in the same process', async () => {
		const { iterator } = listen();
		const event = groupEvent();
		const pending = nextMatching(iterator, isGroup(idOf(event)));
		await publish(event);
		expect(await pending).toEqual(event);
	});

	it('listening starts when events() is called: an event published right after is not missed', async () => {
		await startBus();
		const { iterator } = listen();
		const event = groupEvent();
		await publish(event); // before anyone asked for the first value
		expect(await nextMatching(iterator, isGroup(idOf(event)))).toEqual(event);
	});

	it('fans out: another instance listening on its own connection receives what publish sent', async () => {
		const other = await rawListener();
		const { iterator } = listen();
		const event = groupEvent();
		const here = nextMatching(iterator, isGroup(idOf(event)));
		await publish(event);
		expect(await here).toEqual(event);
		await eventually(() => other.received.some(isGroup(idOf(event))));
		expect(other.received.find(isGroup(idOf(event)))).toEqual(event);
	});

	it("another instance's NOTIFY reaches this process's listeners", async () => {
		const { iterator } = listen();
		const event = groupEvent();
		const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
		await client.connect();
		cleanups.push(() => client.end());
		const pending = nextMatching(iterator, isGroup(idOf(event)));
		await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
		expect(await pending).toEqual(event);
	});

	it('an unreadable payload is skipped and later events still arrive', async () => {
		const { iterator } = listen();
		await pgPool().query('SELECT pg_notify($1, $2)', [CHANNEL, '{not json']);
		const event = groupEvent();
		const pending = nextMatching(iterator, isGroup(idOf(event)));
		await publish(event);
		expect(await pending).toEqual(event);
	});

	it('the iterator ends when its signal aborts', async () => {
		const { iterator, controller } = listen();
		const pending = iterator.next();
		controller.abort();
		expect(await within(pending, 2000)).toEqual({ done: true, value: undefined });
	});

	it('a signal aborted before listening yields nothing', async () => {
		const controller = new AbortController();
		controller.abort();
		const iterator = events(controller.signal);
		expect(await within(iterator.next(), 2000)).toEqual({ done: true, value: undefined });
	});

	it('the listener reconnects after its database connection is killed', async () => {
		await startBus();
		const bus = (
			globalThis as unknown as { __itsmBus: { client?: pg.Client & { processID?: number } } }
		).__itsmBus;
		const pid = bus.client?.processID;
		expect(pid).toBeTypeOf('number');
		const killer = new pg.Client({ connectionString: process.env.DATABASE_URL });
		await killer.connect();
		cleanups.push(() => killer.end());
		await killer.query('SELECT pg_terminate_backend($1)', [pid]);

		await eventually(() => bus.client !== undefined && bus.client.processID !== pid, 8000);
		const { iterator } = listen();
		const event = groupEvent();
		const pending = nextMatching(iterator, isGroup(idOf(event)));
		await publish(event);
		expect(await pending).toEqual(event);
	});

	it('stopBus then startBus listens again', async () => {
		await stopBus();
		await startBus();
		await startBus(); // idempotent
		const { iterator } = listen();
		const event = groupEvent();
		const pending = nextMatching(iterator, isGroup(idOf(event)));
		await publish(event);
		expect(await pending).toEqual(event);
		expect(await within(Promise.resolve('still here'), 10)).not.toBe(TIMED_OUT);
	});
});
