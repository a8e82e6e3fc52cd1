import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// The same check runs in hooks.server.ts (src/lib/server/http/csrf.ts), which lets the inbound
		// mail webhook take providers' cross-site posts; everything else stays protected.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
