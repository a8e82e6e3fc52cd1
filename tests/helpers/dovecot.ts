/**
 * A throwaway Dovecot (Debian dovecot-imapd + dovecot-pop3d) for tests and the mail bench: a
 * generated config under a temp folder, IMAP and POP3 on free high ports of 127.0.0.1, plain-text
 * logins from a passwd-file, maildirs under the same folder, no auth failure delay. Messages are
 * delivered by writing into Maildir/tmp and renaming into Maildir/new (no server round trip).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { encryptSecret } from '../../src/lib/server/mail/secrets';
import { makeAccount } from './mail';

export const DOVECOT_BIN = process.env.DOVECOT_BIN ?? '/usr/sbin/dovecot';
const MAIL_USER = 'itsmmail';

export interface Dovecot {
	host: string;
	imapPort: number;
	pop3Port: number;
	dir: string;
	/** Adds a user (password `secret` unless given); works while running. */
	addUser(user: string, password?: string): void;
	/** Puts a raw message into the user's INBOX (or another folder, created when missing). */
	deliver(user: string, raw: Buffer, folder?: string): void;
	/** File names of the messages in a folder: new + cur (what the server still holds). */
	messages(user: string, folder?: string): { name: string; seen: boolean }[];
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** The uid/gid that owns the mail: a dedicated system user as root, else ourselves. */
function mailOwner(): { uid: number; gid: number; name: string; group: string } {
	const me = userInfo();
	if (me.uid !== 0) {
		const group = execFileSync('id', ['-gn']).toString().trim();
		return { uid: me.uid, gid: me.gid, name: me.username, group };
	}
	const id = (flag: string) =>
		execFileSync('id', [flag, MAIL_USER], { stdio: ['ignore', 'pipe', 'ignore'] })
			.toString()
			.trim();
	const lookup = () => {
		try {
			const [uid, gid, group] = [Number(id('-u')), Number(id('-g')), id('-gn')];
			return { uid, gid, name: MAIL_USER, group };
		} catch {
			return null;
		}
	};
	let found = lookup();
	if (!found) {
		try {
			execFileSync(
				'useradd',
				['--system', '--user-group', '--no-create-home', '-s', '/usr/sbin/nologin', MAIL_USER],
				{ stdio: 'ignore' }
			);
		} catch {
			// created meanwhile by a parallel test file
		}
		found = lookup();
	}
	return found ?? { uid: 65534, gid: 65534, name: 'nobody', group: 'nogroup' };
}

function config(
	dir: string,
	imapPort: number,
	pop3Port: number,
	owner: ReturnType<typeof mailOwner>,
	noIdle: boolean
) {
	const asRoot = userInfo().uid === 0;
	return `
protocols = imap pop3
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:${dir}/mail/%u/Maildir
mail_uid = ${owner.uid}
mail_gid = ${owner.gid}
${
	asRoot
		? ''
		: `default_internal_user = ${owner.name}
default_internal_group = ${owner.group}
default_login_user = ${owner.name}`
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users/%u
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
${asRoot ? '' : '  chroot =\n'}}
service pop3-login {
  inet_listener pop3 {
    port = ${pop3Port}
  }
  inet_listener pop3s {
    port = 0
  }
${asRoot ? '' : '  chroot =\n'}}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
${asRoot ? '' : '  chroot =\n'}}
${noIdle ? 'protocol imap {\n  imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE UIDPLUS MOVE\n}\n' : ''}protocol pop3 {
  pop3_uidl_format = %08Xu%08Xv
}
`;
}

async function waitForPort(port: number, child: ChildProcess, logFile: string): Promise<void> {
	const { connect } = await import('node:net');
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(
				`dovecot exited: ${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`
			);
		const ok = await new Promise<boolean>((resolve) => {
			const s = connect(port, '127.0.0.1');
			s.once('connect', () => {
				s.destroy();
				resolve(true);
			});
			s.once('error', () => resolve(false));
		});
		if (ok) return;
		await new Promise((r) => setTimeout(r, 25));
	}
	throw new Error('dovecot did not start listening within 10 s');
}

/** `noIdle`: the server does not announce IDLE (clients fall back to polling). */
export async function startDovecot(opts: { noIdle?: boolean } = {}): Promise<Dovecot> {
	const dir = mkdtempSync(join(tmpdir(), 'itsm-dovecot-'));
	chmodSync(dir, 0o755); // the login and mail processes run as other users
	const owner = mailOwner();
	const [imapPort, pop3Port] = [await freePort(), await freePort()];
	mkdirSync(join(dir, 'mail'), { recursive: true });
	chownSync(join(dir, 'mail'), owner.uid, owner.gid);
	// One passwd-file per user: Dovecot re-reads a changed file only when its mtime moves on a
	// whole second, so users added to one file within a second would not log in yet.
	const users = join(dir, 'users');
	mkdirSync(users);
	chmodSync(users, 0o755);
	const confFile = join(dir, 'dovecot.conf');
	writeFileSync(confFile, config(dir, imapPort, pop3Port, owner, opts.noIdle ?? false));
	rmSync(join(dir, 'run'), { recursive: true, force: true });
	const child = spawn(DOVECOT_BIN, ['-F', '-c', confFile], { stdio: 'ignore' });
	const orphaned = () => child.kill('SIGKILL'); // never outlive the test process
	process.once('exit', orphaned);
	await waitForPort(imapPort, child, join(dir, 'dovecot.log'));
	await waitForPort(pop3Port, child, join(dir, 'dovecot.log'));

	const mkdirOwned = (path: string) => {
		if (existsSync(path)) return;
		mkdirSync(path, { recursive: true });
		chownSync(path, owner.uid, owner.gid);
	};
	// Maildir++: INBOX is Maildir itself, other folders are Maildir/.Name
	const folderDir = (user: string, folder = 'INBOX') => {
		const base = join(dir, 'mail', user, 'Maildir');
		return folder.toUpperCase() === 'INBOX' ? base : join(base, `.${folder.replace(/\//g, '.')}`);
	};
	const ensureFolder = (user: string, folder?: string) => {
		mkdirOwned(join(dir, 'mail', user));
		mkdirOwned(join(dir, 'mail', user, 'Maildir'));
		const f = folderDir(user, folder);
		for (const sub of ['', 'cur', 'new', 'tmp']) mkdirOwned(join(f, sub));
		return f;
	};
	let seq = 0;

	return {
		host: '127.0.0.1',
		imapPort,
		pop3Port,
		dir,
		addUser(user, password = 'secret') {
			writeFileSync(join(users, user), `${user}:{PLAIN}${password}::::::\n`);
			chmodSync(join(users, user), 0o644);
			ensureFolder(user);
		},
		deliver(user, raw, folder) {
			const f = ensureFolder(user, folder);
			const name = `${Date.now()}.M${++seq}P${process.pid}R${randomUUID().slice(0, 8)}.itsm`;
			const tmp = join(f, 'tmp', name);
			writeFileSync(tmp, raw);
			chownSync(tmp, owner.uid, owner.gid);
			renameSync(tmp, join(f, 'new', name));
		},
		messages(user, folder) {
			const f = folderDir(user, folder);
			const list = (sub: string) =>
				existsSync(join(f, sub)) ? readdirSync(join(f, sub)).map((name) => ({ sub, name })) : [];
			return [...list('new'), ...list('cur')].map(({ sub, name }) => ({
				name,
				// Maildir info ",S=…:2,FLAGS": S is \Seen
				seen: sub === 'cur' && /:2,[A-Z]*S/.test(name)
			}));
		},
		async stop() {
			process.off('exit', orphaned);
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
				if (child.exitCode === null) child.kill('SIGKILL');
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** A fresh mailbox user on the server and an active account reading it (password "secret"). */
export async function mailboxAccount(
	d: Dovecot,
	inbound: 'IMAP' | 'POP3',
	overrides: Record<string, unknown> = {}
) {
	process.env.ENCRYPTION_KEY ??= 'itsm-test-mail-key';
	const user = `u${randomUUID().slice(0, 8)}`;
	d.addUser(user);
	const account = await makeAccount({
		inbound,
		host: d.host,
		port: inbound === 'IMAP' ? d.imapPort : d.pop3Port,
		tls: false,
		username: user,
		passwordEnc: encryptSecret('secret'),
		afterImport: inbound === 'IMAP' ? 'SEEN' : 'DELETE',
		...overrides
	});
	return { user, account };
}

/**
 * Runs one import of an account in a separate Node process (another app instance, as far as the
 * mailbox and the database can tell). With `killAfterStores` the process SIGKILLs itself right
 * after storing that many messages, before they are acknowledged on the server.
 */
export function importInChild(
	kind: 'IMAP' | 'POP3',
	accountId: string,
	killAfterStores = 0
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
	const fn = kind === 'IMAP' ? 'fetchImap' : 'fetchPop3';
	const file = kind === 'IMAP' ? 'imap' : 'pop3';
	const code = `
		const { db } = await import('./src/lib/server/db/client.ts');
		const { ${fn} } = await import('./src/lib/server/mail/${file}.ts');
		const account = await db().mailAccount.findUniqueOrThrow({ where: { id: process.env.ACCOUNT_ID } });
		const kill = Number(process.env.KILL_AFTER_STORES);
		const r = await ${fn}(account, {
			afterStore: (n) => { if (kill && n >= kill) process.kill(process.pid, 'SIGKILL'); }
		});
		process.stdout.write(JSON.stringify(r));
		process.exit(0);`;
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
			env: {
				...process.env,
				ACCOUNT_ID: accountId,
				KILL_AFTER_STORES: String(killAfterStores)
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.once('error', reject);
		child.once('exit', (code, signal) => {
			if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`import child failed: ${err}`));
			else resolve({ code, signal, out });
		});
	});
}
