// Runs the Playwright end-to-end suite against a fresh production build and a throwaway
// embedded database. Browser: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's
// own Chromium (downloaded once with `playwright install chromium` where the network allows).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(cmd, args, env = {}) {
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

let chromium = process.env.CHROMIUM_PATH;
if (!chromium) {
	chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
		(p) => existsSync(p)
	);
}
if (!chromium) {
	console.log("No system Chromium found: installing Playwright's Chromium…");
	run('npx', ['playwright', 'install', 'chromium']);
}

if (!existsSync('build/handler.js') || process.env.E2E_REBUILD !== '0')
	run('npm', ['run', 'build']);

const dataDir = mkdtempSync(join(tmpdir(), 'itsm-e2e-'));
chmodSync(dataDir, 0o755);
const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, CHROMIUM_PATH: chromium ?? '', E2E_DATA_DIR: dataDir }
});
rmSync(dataDir, { recursive: true, force: true });
process.exit(r.status ?? 1);
