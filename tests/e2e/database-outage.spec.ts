import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startEmbedded, type EmbeddedDatabase } from '../../src/lib/server/db/embedded';

/**
 * The app on an "external" PostgreSQL (DATABASE_URL) that goes away while it runs and comes
 * back: /healthz 503, pages a friendly error, then recovery without a restart. And a database
 * that is down at start: a clear error and a non-zero exit.
 */
const PORT = 3199;
const base = `http://127.0.0.1:${PORT}`;

function startApp(databaseUrl: string): ChildProcess {
	return spawn('node', ['scripts/server.js'], {
		env: {
			...process.env,
			DATABASE_URL: databaseUrl,
			SEED_DEMO: '1',
			PORT: String(PORT),
			HOST: '127.0.0.1',
			LOG_LEVEL: 'fatal'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
}

async function health(): Promise<number> {
	return fetch(`${base}/healthz`).then(
		(r) => r.status,
		() => 0
	);
}

test.describe.configure({ mode: 'serial' });

test('a database lost while running: 503s and a friendly page, then recovery when it returns', async ({
	page
}) => {
	test.setTimeout(120_000);
	const dir = mkdtempSync(join(tmpdir(), 'itsm-outage-'));
	chmodSync(dir, 0o755);
	let db: EmbeddedDatabase | undefined = await startEmbedded(dir);
	const app = startApp(db.url);
	try {
		await expect.poll(health, { timeout: 60_000 }).toBe(200);
		await page.goto(`${base}/login`);
		await page.getByLabel('Email').fill('admin@demo.test');
		await page.getByLabel('Password').fill('demo1234');
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await page.waitForURL(`${base}/app`);

		const port = db.port;
		await db.stop();
		db = undefined;
		await expect.poll(health, { timeout: 15_000 }).toBe(503);
		const down = await page.goto(`${base}/app`);
		expect(down?.status()).toBe(503);
		await expect(page.getByText(/database is unreachable/i)).toBeVisible();

		db = await startEmbedded(dir, undefined, port);
		await expect.poll(health, { timeout: 30_000 }).toBe(200);
		await expect
			.poll(async () => (await page.goto(`${base}/app`))?.status(), { timeout: 15_000 })
			.toBe(200);
		await expect(page.getByRole('heading', { name: /welcome back/i })).toBeVisible();
	} finally {
		app.kill('SIGTERM');
		await db?.stop();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a database down at start: a clear error and a non-zero exit', async () => {
	const app = startApp('postgresql://nobody:secret@127.0.0.1:1/itsm');
	let stderr = '';
	app.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
	const code = await new Promise<number | null>((resolve) => app.on('exit', resolve));
	expect(code).not.toBe(0);
	expect(stderr).toContain('Cannot reach the database at postgresql://nobody:***@127.0.0.1:1/itsm');
	expect(stderr).not.toContain('secret');
});
