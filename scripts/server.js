// Production server entry: SvelteKit's adapter-node handler plus WebSocket upgrades for tRPC
// subscriptions on /api/ws. Importing build/handler.js runs the app's `init` hook, which starts
// (or connects to) the database, migrates and seeds; a failure there exits with a clear message.
import { createServer } from 'node:http';

process.env.NODE_ENV ??= 'production';
// Attachments stream to disk under their own, admin-configurable limit (default 100 MB) and the
// REST reader caps JSON bodies at 1 MB itself, so adapter-node's 512 KB default must not cut
// uploads off first. Endpoints answer 413 themselves.
process.env.BODY_SIZE_LIMIT ??= '2049M';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
// Without ORIGIN, the app's origin is http://<Host header>, so it works under any name it is
// reached by (localhost, 127.0.0.1, a LAN name). adapter-node would assume https otherwise and
// refuse form posts. The header is overwritten on every request, so clients cannot spoof it.
// Behind a TLS-terminating proxy, set ORIGIN=https://helpdesk.example.com.
const PROTO_HEADER = 'x-itsm-forwarded-proto';
if (!process.env.ORIGIN) process.env.PROTOCOL_HEADER = PROTO_HEADER;

function fail(err) {
	const message = err?.message ?? String(err);
	console.error(
		JSON.stringify({
			level: 'fatal',
			time: new Date().toISOString(),
			msg: `Cannot start: ${message}`
		})
	);
	console.error(`\nitsm-helpdesk could not start:\n  ${message}\n`);
	process.exit(1);
}

let handler;
try {
	({ handler } = await import('../build/handler.js'));
} catch (err) {
	fail(err);
}
const runtime = await globalThis.__itsmRuntime;

const server = createServer((req, res) => {
	if (!process.env.ORIGIN) req.headers[PROTO_HEADER] = 'http';
	handler(req, res);
});
server.on('upgrade', (req, socket, head) => runtime.handleUpgrade(req, socket, head));
server.on('error', (err) =>
	fail(
		err.code === 'EADDRINUSE'
			? new Error(`Port ${port} is already in use. Set PORT to another port.`)
			: err
	)
);
server.listen(port, host, () => {
	console.log(
		JSON.stringify({
			level: 'info',
			time: new Date().toISOString(),
			msg: `listening on http://localhost:${port}`,
			port
		})
	);
});

let closing = false;
async function shutdown(signal) {
	if (closing) return;
	closing = true;
	console.log(
		JSON.stringify({
			level: 'info',
			time: new Date().toISOString(),
			msg: `${signal}: shutting down`
		})
	);
	const forced = setTimeout(() => process.exit(1), 10_000);
	forced.unref();
	server.close();
	server.closeAllConnections?.();
	await runtime.shutdown().catch(() => undefined);
	process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
