import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { realtimeDevPlugin } from './scripts/vite-realtime-plugin.js';

export default defineConfig({
	plugins: [sveltekit(), realtimeDevPlugin()],
	server: { port: Number(process.env.PORT ?? 5173) },
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		globalSetup: ['tests/helpers/global-setup.ts'],
		setupFiles: ['tests/helpers/setup.ts'],
		testTimeout: 20_000,
		hookTimeout: 60_000,
		pool: 'forks',
		// Tests mostly wait on PostgreSQL, so more workers than the 2 cores pay off.
		maxWorkers: 3,
		coverage: {
			provider: 'v8',
			include: ['src/lib/server/**/*.ts'],
			exclude: ['src/lib/server/db/generated/**'],
			reporter: ['text-summary', 'text'],
			thresholds: { lines: 90 }
		}
	}
});
