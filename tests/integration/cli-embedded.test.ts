import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/lib/server/cli/run';
import { startEmbedded } from '../../src/lib/server/db/embedded';
import { migrate } from '../../src/lib/server/db/migrate';
import { uniqueEmail } from '../helpers/factories';

const dirs: string[] = [];

function freshDataDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'itsm-cli-'));
	chmodSync(dir, 0o755);
	dirs.push(dir);
	return dir;
}

afterAll(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The CLI with DATABASE_URL unset for this call only: it must use the data folder. */
async function cliOn(dataDir: string, ...argv: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const env = { DATA_DIR: dataDir, DATABASE_URL: undefined };
	const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { env });
	return { code, out, err, stdout: out.join('\n') };
}

async function emailsIn(url: string): Promise<string[]> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const { rows } = await client.query<{ email: string }>('SELECT email FROM "User"');
		return rows.map((r) => r.email);
	} finally {
		await client.end();
	}
}

describe('admin CLI on the embedded database', () => {
	it('starts, migrates and stops the embedded database of a folder no app is running on', async () => {
		const testUrl = process.env.DATABASE_URL;
		const dir = freshDataDir();
		const admin = uniqueEmail('admin');

		const noAdmin = await cliOn(dir, 'create-api-key', '--name', 'first');
		expect(noAdmin.code).toBe(1);
		expect(noAdmin.err).toEqual([
			'--user: There is no active admin; name the key owner with --user.'
		]);
		expect(existsSync(join(dir, 'pg', 'PG_VERSION'))).toBe(true);
		expect(existsSync(join(dir, 'app.lock'))).toBe(false);

		const created = await cliOn(
			dir,
			'create-user',
			'--email',
			admin,
			'--name',
			'A',
			'--role',
			'admin'
		);
		expect(created.code).toBe(0);
		expect(created.out[0]).toBe(
			`Using the embedded database in ${dir} (started for this command).`
		);
		expect(existsSync(join(dir, 'app.lock'))).toBe(false);
		expect(process.env.DATABASE_URL).toBe(testUrl);

		const listed = await cliOn(dir, 'list-users');
		expect(listed.out.slice(1, -1).join('\n')).toContain(admin);
		expect(listed.out.at(-1)).toBe('1 user.');

		const lastAdmin = await cliOn(dir, 'deactivate', '--email', admin);
		expect(lastAdmin).toMatchObject({
			code: 1,
			err: ['Error: This is the last active admin and cannot be deactivated.']
		});
		expect(existsSync(join(dir, 'app.lock'))).toBe(false);
	}, 120_000);

	it('uses the database of an app already running on the folder, and leaves it running', async () => {
		const dir = freshDataDir();
		const app = await startEmbedded(dir);
		try {
			await migrate(app.url);
			const email = uniqueEmail('ops');
			const r = await cliOn(
				dir,
				'create-user',
				'--email',
				email,
				'--name',
				'Ops',
				'--role',
				'agent'
			);
			expect(r.code).toBe(0);
			expect(r.out[0]).toBe(`Using the embedded database of the app running on ${dir}.`);
			expect(existsSync(join(dir, 'app.lock'))).toBe(true);
			expect(await emailsIn(app.url)).toEqual([email]);
		} finally {
			await app.stop();
		}
	}, 120_000);
});

describe('scripts/admin.ts', () => {
	const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
		spawnSync('npx', ['tsx', 'scripts/admin.ts', ...args], {
			cwd: process.cwd(),
			env,
			encoding: 'utf8',
			timeout: 60_000
		});

	it('prints the usage text and exits 0', () => {
		const r = run(['help']);
		expect(r.status).toBe(0);
		expect(r.stdout).toContain('Usage: npm run admin -- <command> [options]');
		expect(r.stdout).toContain('DATA_DIR');
	}, 60_000);

	it('exits 1 on a mistake, and exits by itself after a database command', () => {
		const bad = run(['frobnicate']);
		expect(bad.status).toBe(1);
		expect(bad.stderr).toContain('Error: Unknown command "frobnicate".');
		const listed = run(['list-users', '--role', 'admin']);
		expect(listed.status).toBe(0);
		expect(listed.stdout).toMatch(/^EMAIL +NAME +ROLE +STATUS$/m);
	}, 120_000);
});
