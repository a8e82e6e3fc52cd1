/**
 * In `vite dev`, hand WebSocket upgrades on /api/ws to the same realtime handler the production
 * server uses (loaded through Vite so it shares the app's module graph and event bus).
 * @returns {import('vite').Plugin}
 */
export function realtimeDevPlugin() {
	return {
		name: 'itsm-realtime-dev',
		configureServer(server) {
			server.httpServer?.on('upgrade', (req, socket, head) => {
				if (!req.url?.startsWith('/api/ws')) return;
				server
					.ssrLoadModule('/src/lib/server/runtime.ts')
					.then(async (mod) => {
						const runtime = await mod.startRuntime();
						runtime.handleUpgrade(req, socket, head);
					})
					.catch((err) => {
						server.config.logger.error(`realtime upgrade failed: ${String(err)}`);
						socket.destroy();
					});
			});
		}
	};
}
