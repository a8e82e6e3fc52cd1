import { EventEmitter, on } from 'node:events';
import pg from 'pg';
import { log } from '../log';
import { pgPool } from '../db/pool';
import type { AppEvent } from './events';

/**
 * Live events fanned out through PostgreSQL LISTEN/NOTIFY, so an event raised on one app
 * instance reaches the sockets of every instance. Each process keeps one listening connection
 * (reconnecting with backoff) and re-emits what arrives on a local emitter. Kept on globalThis
 * so Vite's dev reloads don't open a second listener.
 */
const CHANNEL = 'itsm_events';

interface BusState {
	emitter: EventEmitter;
	client?: pg.Client;
	starting?: Promise<void>;
	stopped: boolean;
	retryMs: number;
}

const holder = globalThis as unknown as { __itsmBus?: BusState };

function state(): BusState {
	if (!holder.__itsmBus) {
		const emitter = new EventEmitter();
		emitter.setMaxListeners(0);
		holder.__itsmBus = { emitter, stopped: false, retryMs: 500 };
	}
	return holder.__itsmBus;
}

async function connectListener(s: BusState): Promise<void> {
	const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
	client.on('notification', (msg) => {
		if (msg.channel !== CHANNEL || !msg.payload) return;
		try {
			s.emitter.emit('event', JSON.parse(msg.payload) as AppEvent);
		} catch (err) {
			log.warn({ err }, 'realtime: unreadable event');
		}
	});
	client.on('error', (err) => {
		log.warn({ err: err.message }, 'realtime: listener connection lost');
		s.client = undefined;
		void client.end().catch(() => undefined);
		scheduleReconnect(s);
	});
	await client.connect();
	await client.query(`LISTEN ${CHANNEL}`);
	s.client = client;
	s.retryMs = 500;
}

function scheduleReconnect(s: BusState): void {
	if (s.stopped) return;
	const delay = s.retryMs;
	s.retryMs = Math.min(s.retryMs * 2, 10_000);
	setTimeout(() => {
		if (s.stopped || s.client) return;
		connectListener(s).catch(() => scheduleReconnect(s));
	}, delay).unref();
}

/** Starts this process's listener (idempotent). */
export function startBus(): Promise<void> {
	const s = state();
	s.stopped = false;
	if (s.client) return Promise.resolve();
	s.starting ??= connectListener(s).finally(() => (s.starting = undefined));
	return s.starting;
}

export async function stopBus(): Promise<void> {
	const s = state();
	s.stopped = true;
	const client = s.client;
	s.client = undefined;
	await client?.end().catch(() => undefined);
}

/**
 * Publishes to every instance (including this one, through the same LISTEN path). Called after
 * the change is committed; a lost event never fails the change itself, it is logged.
 */
export async function publish(event: AppEvent): Promise<void> {
	try {
		await pgPool().query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
	} catch (err) {
		log.warn({ err: (err as Error).message, event: event.type }, 'realtime: publish failed');
	}
}

/**
 * Events as they arrive, until the signal aborts. Listening starts when events() is called, not
 * at the first next(), so an event published in between (e.g. while a subscription sends its
 * initial value) is queued rather than lost. Pass a signal: it is what ends the listening.
 */
export function events(signal?: AbortSignal): AsyncGenerator<AppEvent> {
	const started = startBus();
	started.catch(() => undefined); // surfaced when the generator awaits it
	let source: ReturnType<typeof on> | undefined;
	try {
		source = on(state().emitter, 'event', { signal });
	} catch (err) {
		if ((err as Error).name !== 'AbortError') throw err; // already aborted: yields nothing
	}
	return (async function* () {
		await started;
		if (!source) return;
		try {
			for await (const [event] of source) yield event as AppEvent;
		} catch (err) {
			if ((err as Error).name !== 'AbortError') throw err;
		}
	})();
}
