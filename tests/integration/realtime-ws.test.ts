import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../src/lib/server/identity/notifications';
import { issueSession, SESSION_COOKIE } from '../../src/lib/server/identity/sessions';
import {
	closeRealtime,
	handleUpgrade,
	originAllowed,
	WS_PATH
} from '../../src/lib/server/realtime/ws';
import type { AppRouter } from '../../src/lib/server/trpc/root';
import { transformer } from '../../src/lib/trpc/transformer';
import { makeUser } from '../helpers/factories';

let server: Server;
let base: string;

beforeAll(async () => {
	server = createServer((_req, res) => res.writeHead(404).end());
	server.on('upgrade', handleUpgrade);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	closeRealtime();
	await new Promise((resolve) => server.close(resolve));
});

const closers: (() => unknown)[] = [];
afterEach(async () => {
	for (const close of closers.splice(0)) await close();
});

/** A tRPC client over a real WebSocket, sending `cookie` as a browser would. */
function wsClient(cookie?: string) {
	class CookieWebSocket extends WebSocket {
		constructor(url: string | URL) {
			super(url, cookie ? { headers: { cookie } } : {});
		}
	}
	const ws = createWSClient({ url: `${base}${WS_PATH}`, WebSocket: CookieWebSocket as never });
	closers.push(() => ws.close());
	return createTRPCClient<AppRouter>({ links: [wsLink({ client: ws, transformer })] });
}

/** Values and errors of one subscription, as they arrive. */
function collect(client: ReturnType<typeof wsClient>) {
	const values: number[] = [];
	const errors: unknown[] = [];
	const sub = client.notifications.onCount.subscribe(undefined, {
		onData: (n) => values.push(n),
		onError: (e) => errors.push(e)
	});
	closers.push(() => sub.unsubscribe());
	return { values, errors };
}

async function until(check: () => boolean, ms = 5000) {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** The HTTP status the server answers a raw upgrade request with (101 when it accepts). */
function upgradeStatus(path: string, headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(`${base}${path}`, { headers });
		socket.on('open', () => {
			socket.close();
			resolve(101);
		});
		socket.on('unexpected-response', (_req, res: IncomingMessage) => {
			resolve(res.statusCode ?? 0);
			socket.terminate();
		});
		socket.on('error', (err) => {
			if (!/Unexpected server response/.test(err.message)) reject(err);
		});
	});
}

describe('tRPC subscriptions over the WebSocket', () => {
	it('a signed-in socket gets the unread count, then the pushed update', async () => {
		const user = await makeUser({ role: 'AGENT' });
		await notify(user.id, { type: 't', title: 'waiting' });
		const { token } = await issueSession(user.id);
		const { values, errors } = collect(
			wsClient(`theme=dark; ${SESSION_COOKIE}=${encodeURIComponent(token)}`)
		);

		await until(() => values.length === 1 || errors.length > 0);
		expect(errors).toEqual([]);
		expect(values).toEqual([1]);

		await notify(user.id, { type: 't', title: 'new' });
		await until(() => values.length === 2);
		expect(values).toEqual([1, 2]);
	});

	it('a socket without a session cookie gets UNAUTHORIZED on subscribe', async () => {
		const { values, errors } = collect(wsClient());
		await until(() => errors.length > 0);
		expect(values).toEqual([]);
		const err = errors[0] as TRPCClientError<AppRouter>;
		expect(err).toBeInstanceOf(TRPCClientError);
		expect(err.data?.code).toBe('UNAUTHORIZED');
	});

	it('a socket with a revoked or forged session is UNAUTHORIZED too', async () => {
		const { values, errors } = collect(wsClient(`${SESSION_COOKIE}=forged.token.value`));
		await until(() => errors.length > 0);
		expect(values).toEqual([]);
		expect((errors[0] as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
	});
});

describe('the upgrade handshake', () => {
	it('a cross-site Origin is refused with 403', async () => {
		expect(await upgradeStatus(WS_PATH, { origin: 'https://evil.example' })).toBe(403);
	});

	it('the same origin, or no Origin at all (non-browser clients), is accepted', async () => {
		expect(await upgradeStatus(WS_PATH, { origin: base.replace('ws:', 'http:') })).toBe(101);
		expect(await upgradeStatus(WS_PATH)).toBe(101);
	});

	it('any other path is refused with 403', async () => {
		expect(await upgradeStatus('/somewhere-else')).toBe(403);
	});
});

describe('originAllowed', () => {
	const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

	it('compares against ORIGIN when it is set (behind a proxy the Host may differ)', () => {
		const before = process.env.ORIGIN;
		process.env.ORIGIN = 'https://desk.example.com';
		try {
			expect(
				originAllowed(req({ origin: 'https://desk.example.com', host: 'internal:3000' }))
			).toBe(true);
			expect(originAllowed(req({ origin: 'https://internal:3000', host: 'internal:3000' }))).toBe(
				false
			);
		} finally {
			if (before === undefined) delete process.env.ORIGIN;
			else process.env.ORIGIN = before;
		}
	});

	it('refuses an Origin that is not a URL', () => {
		expect(originAllowed(req({ origin: 'null', host: 'desk.example.com' }))).toBe(false);
	});
});
