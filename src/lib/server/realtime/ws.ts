import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { log } from '../log';
import { resolveSession, SESSION_COOKIE } from '../identity/sessions';
import { createContext } from '../trpc/context';
import { appRouter } from '../trpc/root';

export const WS_PATH = '/api/ws';

interface WsState {
	wss: WebSocketServer;
	close(): void;
}
const holder = globalThis as unknown as { __itsmWs?: WsState };

export function cookieValue(header: string | undefined, name: string): string | undefined {
	for (const part of (header ?? '').split(';')) {
		const i = part.indexOf('=');
		if (i > 0 && part.slice(0, i).trim() === name)
			return decodeURIComponent(part.slice(i + 1).trim());
	}
	return undefined;
}

/** Hooks don't run for upgrades: the socket authenticates from its session cookie. */
async function contextFor(req: IncomingMessage) {
	const session = await resolveSession(cookieValue(req.headers.cookie, SESSION_COOKIE));
	return createContext({
		user: session?.user ?? null,
		sessionId: session?.sessionId ?? null,
		ip: req.socket.remoteAddress ?? 'unknown',
		requestId: `ws-${Math.random().toString(36).slice(2, 10)}`,
		log
	});
}

function state(): WsState {
	if (!holder.__itsmWs) {
		const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
		const handler = applyWSSHandler({
			wss,
			router: appRouter,
			createContext: ({ req }) => contextFor(req),
			keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 }
		});
		holder.__itsmWs = {
			wss,
			close() {
				handler.broadcastReconnectNotification();
				for (const client of wss.clients) client.terminate();
				wss.close();
			}
		};
	}
	return holder.__itsmWs;
}

/** Same-origin only: a page on another site must not open a socket with our cookie. */
export function originAllowed(req: IncomingMessage): boolean {
	const origin = req.headers.origin;
	if (!origin) return true; // non-browser clients carry no ambient cookie
	try {
		const expected = process.env.ORIGIN ? new URL(process.env.ORIGIN).host : req.headers.host;
		return new URL(origin).host === expected;
	} catch {
		return false;
	}
}

export function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
	if (!req.url?.startsWith(WS_PATH) || !originAllowed(req)) {
		socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
		socket.destroy();
		return;
	}
	const { wss } = state();
	wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
}

export function closeRealtime(): void {
	holder.__itsmWs?.close();
	holder.__itsmWs = undefined;
}
