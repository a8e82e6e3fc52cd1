import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, createWSClient, httpLink, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { expect, test } from '@playwright/test';
import { startEmbedded, type EmbeddedDatabase } from '../../src/lib/server/db/embedded';
import type { AppRouter } from '../../src/lib/server/trpc/root';
import { transformer } from '../../src/lib/trpc/transformer';

/**
 * Two app instances on one PostgreSQL: a ticket created through instance A reaches a live
 * subscription on instance B (LISTEN/NOTIFY fan-out), and only for users allowed to see it.
 */
const A = 3197;
const B = 3198;

function startApp(databaseUrl: string, port: number): ChildProcess {
	return spawn('node', ['scripts/server.js'], {
		env: {
			...process.env,
			DATABASE_URL: databaseUrl,
			SEED_DEMO: '1',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${port}`,
			LOG_LEVEL: 'fatal'
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
}

const health = (port: number) =>
	fetch(`http://127.0.0.1:${port}/healthz`).then(
		(r) => r.status,
		() => 0
	);

/** Signs in through the real login form and returns the session cookie. */
async function signIn(port: number, email: string): Promise<string> {
	const res = await fetch(`http://127.0.0.1:${port}/login`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: `http://127.0.0.1:${port}`
		},
		body: new URLSearchParams({ email, password: 'demo1234' }),
		redirect: 'manual'
	});
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('itsm_session='));
	if (!cookie) throw new Error(`sign-in failed on ${port}: ${res.status}`);
	return cookie.split(';')[0]!;
}

function wsClient(port: number, cookie: string) {
	class CookieWebSocket extends WebSocket {
		constructor(url: string | URL) {
			super(url, { headers: { cookie, origin: `http://127.0.0.1:${port}` } });
		}
	}
	const client = createWSClient({
		url: `ws://127.0.0.1:${port}/api/ws`,
		WebSocket: CookieWebSocket as never
	});
	return {
		client,
		trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer })] })
	};
}

const httpClient = (port: number, cookie: string) =>
	createTRPCClient<AppRouter>({
		links: [
			httpLink({ url: `http://127.0.0.1:${port}/api/trpc`, transformer, headers: { cookie } })
		]
	});

test('a ticket created on one instance reaches live subscribers on another, only those who may see it', async () => {
	test.setTimeout(150_000);
	const dir = mkdtempSync(join(tmpdir(), 'itsm-two-'));
	chmodSync(dir, 0o755);
	const db: EmbeddedDatabase = await startEmbedded(dir);
	const apps: ChildProcess[] = [];
	const sockets: { close(): void }[] = [];
	try {
		apps.push(startApp(db.url, A));
		await expect.poll(() => health(A), { timeout: 90_000 }).toBe(200);
		apps.push(startApp(db.url, B));
		await expect.poll(() => health(B), { timeout: 60_000 }).toBe(200);

		const agentOnB = wsClient(B, await signIn(B, 'agent@demo.test'));
		const userOnB = wsClient(B, await signIn(B, 'user@demo.test'));
		sockets.push(agentOnB.client, userOnB.client);
		const agentSaw: number[] = [];
		const userSaw: number[] = [];
		agentOnB.trpc.tickets.changes.subscribe(undefined, {
			onData: (e) => {
				if (e.type !== 'presence') agentSaw.push(e.number);
			}
		});
		userOnB.trpc.tickets.changes.subscribe(undefined, {
			onData: (e) => {
				if (e.type !== 'presence') userSaw.push(e.number);
			}
		});
		await new Promise((r) => setTimeout(r, 1000));

		const admin = httpClient(A, await signIn(A, 'admin@demo.test'));
		const groups = await admin.groups.list.query();
		const serviceDesk = groups.find((g) => g.name === 'Service Desk')!;
		const ticket = await admin.tickets.create.mutate({
			subject: 'Created on instance A',
			groupId: serviceDesk.id
		});

		await expect.poll(() => agentSaw.includes(ticket.number), { timeout: 10_000 }).toBe(true);
		// The end user is not the requester: nothing about this ticket reaches their socket.
		await new Promise((r) => setTimeout(r, 1000));
		expect(userSaw).not.toContain(ticket.number);

		// And the end user's own ticket, created on B, reaches the agent's socket on B via A's bus too.
		const user = httpClient(A, await signIn(A, 'user@demo.test'));
		const mine = await user.tickets.create.mutate({ subject: 'My own ticket from A' });
		await expect.poll(() => userSaw.includes(mine.number), { timeout: 10_000 }).toBe(true);
	} finally {
		for (const s of sockets) s.close();
		for (const app of apps) app.kill('SIGTERM');
		await Promise.all(
			apps.map((app) => new Promise((r) => (app.exitCode !== null ? r(null) : app.once('exit', r))))
		);
		await db.stop();
		rmSync(dir, { recursive: true, force: true });
	}
});
