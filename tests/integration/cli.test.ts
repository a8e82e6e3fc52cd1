import { describe, expect, it } from 'vitest';
import { runCli, errorLines } from '../../src/lib/server/cli/run';
import { db } from '../../src/lib/server/db/client';
import { resolveApiKey } from '../../src/lib/server/identity/apikeys';
import { verifyPassword } from '../../src/lib/server/identity/passwords';
import { makeUser, uniqueEmail } from '../helpers/factories';

/** Runs the CLI in-process against the test database, capturing what it prints. */
async function cli(...argv: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
	return { code, out, err, stdout: out.join('\n'), stderr: err.join('\n') };
}

function shownOnce(stdout: string, label: RegExp): string {
	const match = new RegExp(`${label.source}: (\\S+)`).exec(stdout);
	if (!match?.[1]) throw new Error(`nothing matching ${label} in:\n${stdout}`);
	return match[1];
}

const userRow = (email: string) => db().user.findUniqueOrThrow({ where: { email } });

describe('admin CLI: create-user', () => {
	it('creates a user with a generated password, stored as an argon2id hash that verifies', async () => {
		const email = uniqueEmail('cli');
		const r = await cli('create-user', '--email', email.toUpperCase(), '--name', 'Cli Person');
		expect(r.code).toBe(0);
		expect(r.err).toEqual([]);
		const password = shownOnce(r.stdout, /Generated password \(shown only now\)/);
		expect(password.length).toBeGreaterThanOrEqual(20);
		const user = await userRow(email);
		expect(user).toMatchObject({ name: 'Cli Person', role: 'END_USER', active: true });
		expect(user.passwordHash).toMatch(/^\$argon2id\$/);
		expect(await verifyPassword(user.passwordHash, password)).toBe(true);
		expect(r.stdout).toContain(`Created End User ${email} (Cli Person), id ${user.id}.`);
		const audit = await db().auditLog.findFirst({ where: { entityId: user.id } });
		expect(audit).toMatchObject({ action: 'user.create', actorId: null, ip: 'cli' });
	});

	it('uses a given password and prints no password', async () => {
		const email = uniqueEmail('cli');
		const r = await cli(
			'create-user',
			'--email',
			email,
			'--name',
			'N',
			'--password',
			'secret-pass-1'
		);
		expect(r.code).toBe(0);
		expect(r.stdout).not.toContain('password');
		expect(await verifyPassword((await userRow(email)).passwordHash, 'secret-pass-1')).toBe(true);
	});

	it.each([
		['admin', 'ADMIN'],
		['it-manager', 'IT_MANAGER'],
		['it_manager', 'IT_MANAGER'],
		['IT_MANAGER', 'IT_MANAGER'],
		['It-Manager', 'IT_MANAGER'],
		['AGENT', 'AGENT'],
		['end_user', 'END_USER'],
		['requester', 'REQUESTER']
	])('accepts the role %s as %s', async (given, role) => {
		const email = uniqueEmail('role');
		const r = await cli('create-user', '--email', email, '--name', 'R', '--role', given);
		expect(r.code).toBe(0);
		expect((await userRow(email)).role).toBe(role);
	});

	it('rejects an unknown role, listing the valid ones', async () => {
		const r = await cli('create-user', '--email', uniqueEmail(), '--name', 'R', '--role', 'boss');
		expect(r.code).toBe(1);
		expect(r.err).toEqual(['--role: Choose one of admin, it-manager, agent, end-user, requester.']);
	});

	it('refuses a duplicate email with the email message', async () => {
		const existing = await makeUser();
		const r = await cli('create-user', '--email', existing.email, '--name', 'Again');
		expect(r.code).toBe(1);
		expect(r.err).toEqual(['--email: A user with this email already exists.']);
		expect(r.out).toEqual([]);
	});

	it('reports invalid fields one line each', async () => {
		const r = await cli(
			'create-user',
			'--email',
			'not-an-email',
			'--name',
			' ',
			'--password',
			'short'
		);
		expect(r.code).toBe(1);
		expect(r.err).toEqual(
			expect.arrayContaining([
				'--email: Enter a valid email address.',
				'--name: Name is required.',
				'--password: Password must be at least 8 characters.'
			])
		);
	});
});

describe('admin CLI: reset-password', () => {
	it('changes the hash and revokes the sessions', async () => {
		const user = await makeUser();
		const session = await db().session.create({
			data: { userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) }
		});
		const r = await cli('reset-password', '--email', user.email);
		expect(r.code).toBe(0);
		const password = shownOnce(r.stdout, /Generated password \(shown only now\)/);
		const after = await userRow(user.email);
		expect(after.passwordHash).not.toBe(user.passwordHash);
		expect(await verifyPassword(after.passwordHash, password)).toBe(true);
		const revoked = await db().session.findUniqueOrThrow({ where: { id: session.id } });
		expect(revoked.revokedAt).not.toBeNull();
	});

	it('sets a given password, validated like everywhere else', async () => {
		const user = await makeUser();
		expect((await cli('reset-password', '--email', user.email, '--password', 'x')).err).toEqual([
			'--password: Password must be at least 8 characters.'
		]);
		const r = await cli('reset-password', '--email', user.email, '--password', 'new-pass-123');
		expect(r.code).toBe(0);
		expect(r.stdout).not.toContain('Generated');
		expect(await verifyPassword((await userRow(user.email)).passwordHash, 'new-pass-123')).toBe(
			true
		);
	});

	it('reports an unknown email', async () => {
		const email = uniqueEmail('nobody');
		const r = await cli('reset-password', '--email', email);
		expect(r).toMatchObject({ code: 1, err: [`--email: No user has the email ${email}.`] });
	});
});

describe('admin CLI: create-api-key', () => {
	it('prints a key once that resolves to the user; only its hash is stored', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const r = await cli('create-api-key', '--name', 'backup job', '--user', user.email);
		expect(r.code).toBe(0);
		expect(r.out[0]).toBe(`Created API key "backup job" for ${user.email} (${user.name}).`);
		const key = shownOnce(r.stdout, /Key \(shown only now; only its hash is stored\)/);
		expect((await resolveApiKey(key))?.id).toBe(user.id);
		const rows = await db().apiKey.findMany({ where: { userId: user.id } });
		expect(rows).toHaveLength(1);
		expect(JSON.stringify(rows)).not.toContain(key);
		expect(rows[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('gives the key to the first active admin without --user, and says who', async () => {
		await makeUser({ role: 'ADMIN' });
		const r = await cli('create-api-key', '--name', 'ci');
		expect(r.code).toBe(0);
		expect(r.out[0]).toMatch(/^Created API key "ci" for the first active admin, \S+@\S+ \(.+\)\.$/);
		const owner = await resolveApiKey(shownOnce(r.stdout, /Key \(.+\)/));
		expect(owner?.role).toBe('ADMIN');
	});

	it('refuses an unknown --user or an empty name', async () => {
		const email = uniqueEmail('ghost');
		const unknown = await cli('create-api-key', '--name', 'k', '--user', email);
		expect(unknown).toMatchObject({ code: 1, err: [`--user: No user has the email ${email}.`] });
		const bad = await cli('create-api-key', '--name', 'k', '--user', 'nope');
		expect(bad.err).toEqual(['--user: Enter a valid email address.']);
		const empty = await cli('create-api-key', '--name', ' ');
		expect(empty).toMatchObject({ code: 1, err: ['--name: Name is required.'] });
	});
});

describe('admin CLI: roles and activation', () => {
	it('set-role changes the role and says what it was', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const r = await cli('set-role', '--email', user.email, '--role', 'it_manager');
		expect(r.out).toEqual([`${user.email} (${user.name}) is now IT Manager (was End User).`]);
		expect((await userRow(user.email)).role).toBe('IT_MANAGER');
		const again = await cli('set-role', '--email', user.email, '--role', 'IT-MANAGER');
		expect(again.out).toEqual([`${user.email} (${user.name}) already is IT Manager.`]);
	});

	it('deactivate and activate toggle the account; deactivation ends sessions', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const session = await db().session.create({
			data: { userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) }
		});
		expect((await cli('deactivate', '--email', user.email)).code).toBe(0);
		expect((await userRow(user.email)).active).toBe(false);
		const ended = await db().session.findUniqueOrThrow({ where: { id: session.id } });
		expect(ended.revokedAt).not.toBeNull();
		const r = await cli('activate', '--email', user.email);
		expect(r.out).toEqual([`Activated ${user.email} (${user.name}).`]);
		expect((await userRow(user.email)).active).toBe(true);
	});

	it('list-users shows a table filtered by role', async () => {
		const requester = await makeUser({ role: 'REQUESTER', active: false });
		const agent = await makeUser({ role: 'AGENT' });
		const r = await cli('list-users', '--role', 'requester');
		expect(r.code).toBe(0);
		expect(r.out[0]).toMatch(/^EMAIL +NAME +ROLE +STATUS$/);
		const line = r.out.find((l) => l.startsWith(requester.email));
		expect(line).toMatch(/Requester +inactive$/);
		expect(r.stdout).not.toContain(agent.email);
		expect(r.out.at(-1)).toMatch(/^\d+ users?\.$/);
		const all = await cli('list-users');
		expect(all.stdout).toContain(agent.email);
	});
});

describe('admin CLI: usage', () => {
	it.each([[], ['help'], ['--help'], ['-h'], ['create-user', '--help']])(
		'%j prints the usage text',
		async (...argv) => {
			const r = await cli(...argv);
			expect(r.code).toBe(0);
			expect(r.out[0]).toBe('itsm-helpdesk admin CLI');
			for (const word of [
				'create-user',
				'reset-password',
				'create-api-key',
				'list-users',
				'set-role',
				'deactivate',
				'activate',
				'DATABASE_URL',
				'DATA_DIR'
			]) {
				expect(r.stdout).toContain(word);
			}
		}
	);

	it.each([
		[['frobnicate'], 'Error: Unknown command "frobnicate".'],
		[
			['create-user', '--email', 'a@b.co', '--name', 'n', '--colour', 'red'],
			'Error: Unknown option --colour for create-user.'
		],
		[['create-user', '--email'], 'Error: --email needs a value.'],
		[
			['deactivate', 'someone@example.com'],
			'Error: Unexpected argument "someone@example.com" for deactivate.'
		],
		[['create-user', '--name', 'n'], 'Error: create-user needs --email.'],
		[['set-role'], 'Error: set-role needs --email and --role.']
	])('%j fails with a usage hint', async (argv, message) => {
		const r = await cli(...argv);
		expect(r.code).toBe(1);
		expect(r.out).toEqual([]);
		expect(r.err).toEqual([`${message} Run "npm run admin -- help" for usage.`]);
	});

	it('reports an unreachable database on one line', async () => {
		const out: string[] = [];
		const err: string[] = [];
		const env = { DATABASE_URL: 'postgresql://nobody:x@127.0.0.1:1/none' };
		const code = await runCli(
			['list-users'],
			{ out: (l) => out.push(l), err: (l) => err.push(l) },
			{ env }
		);
		expect(code).toBe(1);
		expect(err).toHaveLength(1);
		expect(err[0]).toMatch(/^Error: /);
		expect(process.env.DATABASE_URL).not.toBe(env.DATABASE_URL);
	});

	it('keeps only the meaningful line of a multi-line error', () => {
		expect(
			errorLines(new Error('\nInvalid `prisma.user.findMany()` invocation:\n\n\nboom'))
		).toEqual(['Error: boom']);
		expect(errorLines('plain')).toEqual(['Error: plain']);
	});
});
