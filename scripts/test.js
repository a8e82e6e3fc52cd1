// `npm test`: every gate, in the order that fails fastest. CI runs exactly this.
import { spawnSync } from 'node:child_process';

const steps = [
	['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
	['format', 'npx', ['prettier', '--check', '.']],
	['types', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings']],
	['unit + integration (coverage)', 'npx', ['vitest', 'run', '--coverage']],
	['end-to-end', 'node', ['scripts/e2e.js']]
];

const only = process.argv[2];
const started = Date.now();
for (const [name, cmd, args] of steps) {
	if (only && !name.startsWith(only)) continue;
	const t = Date.now();
	console.log(`\n▶ ${name}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit' });
	if (r.status !== 0) {
		console.error(`\n✖ ${name} failed (exit ${r.status})`);
		process.exit(r.status ?? 1);
	}
	console.log(`✔ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
