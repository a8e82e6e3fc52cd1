// `npm start`: builds when there is no current build, then runs the production server.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { sourceFingerprint } from './fingerprint.js';

const stampFile = 'build/.stamp';
const current =
	existsSync('build/handler.js') &&
	existsSync(stampFile) &&
	readFileSync(stampFile, 'utf8') === sourceFingerprint();
if (!current) {
	console.log('No current build: building first (about a minute)…');
	const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
await import('./server.js');
