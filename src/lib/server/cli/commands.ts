import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ROLE_LABELS, ROLES, type RoleName } from '$lib/permissions';
import { db } from '../db/client';
import { fieldError } from '../errors';
import { createApiKey } from '../identity/apikeys';
import { apiKeyNameSchema, emailSchema, passwordSchema } from '../identity/schemas';
import {
	changeRole,
	createUser,
	findUserByEmail,
	listUsers,
	setActive,
	setPassword,
	type Actor
} from '../identity/users';
import type { CliOptions, CommandName } from './args';

export interface CliIo {
	out(line: string): void;
	err(line: string): void;
}

/** Audit rows written by the CLI have no user actor and `cli` as their origin. */
const CLI_ACTOR: Actor = { id: null, ip: 'cli' };

const ROLE_NAMES = ROLES.map((r) => r.toLowerCase().replace(/_/g, '-'));

/** `it-manager`, `IT_MANAGER`, `It-Manager` … → IT_MANAGER. */
export function parseRole(value: string): RoleName {
	const role = value.trim().toUpperCase().replace(/-/g, '_');
	if ((ROLES as readonly string[]).includes(role)) return role as RoleName;
	throw fieldError('role', `Choose one of ${ROLE_NAMES.join(', ')}.`);
}

/** 24 random base64url characters (144 bits), printed once. */
function generatePassword(): string {
	return randomBytes(18).toString('base64url');
}

async function userByEmail(email: string | undefined, option: 'email' | 'user' = 'email') {
	const parsed = emailSchema.safeParse(email);
	if (!parsed.success) throw fieldError(option, parsed.error.issues[0]?.message ?? 'Invalid.');
	const address = parsed.data;
	const user = await findUserByEmail(address);
	if (!user) throw fieldError(option, `No user has the email ${address}.`);
	return user;
}

/** The oldest active admin: who owns an API key created without --user. */
function firstActiveAdmin() {
	return db().user.findFirst({
		where: { role: 'ADMIN', active: true },
		orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
		select: { id: true, email: true, name: true }
	});
}

function who(user: { email: string; name: string }): string {
	return `${user.email} (${user.name})`;
}

type Command = (options: CliOptions, io: CliIo) => Promise<void>;

export const commands: Record<CommandName, Command> = {
	async 'create-user'(o, io) {
		const password = o.password ?? generatePassword();
		const role = parseRole(o.role ?? 'end-user');
		const user = await createUser(CLI_ACTOR, {
			email: o.email ?? '',
			name: o.name ?? '',
			role,
			password
		});
		io.out(`Created ${ROLE_LABELS[user.role]} ${who(user)}, id ${user.id}.`);
		if (!o.password) io.out(`Generated password (shown only now): ${password}`);
	},

	async 'reset-password'(o, io) {
		const password = z.object({ password: passwordSchema }).parse({
			password: o.password ?? generatePassword()
		}).password;
		const user = await userByEmail(o.email);
		await setPassword(CLI_ACTOR, user.id, password);
		io.out(`Password of ${who(user)} reset; their sessions were signed out.`);
		if (!o.password) io.out(`Generated password (shown only now): ${password}`);
	},

	async 'create-api-key'(o, io) {
		const name = z.object({ name: apiKeyNameSchema }).parse({ name: o.name }).name;
		const owner =
			o.user !== undefined ? await userByEmail(o.user, 'user') : await firstActiveAdmin();
		if (!owner)
			throw fieldError('user', 'There is no active admin; name the key owner with --user.');
		const created = await createApiKey(CLI_ACTOR, owner.id, name);
		const whose = o.user !== undefined ? who(owner) : `the first active admin, ${who(owner)}`;
		io.out(`Created API key "${created.name}" for ${whose}.`);
		io.out(`Key (shown only now; only its hash is stored): ${created.key}`);
	},

	async 'list-users'(o, io) {
		const role = o.role !== undefined ? parseRole(o.role) : undefined;
		const rows: string[][] = [['EMAIL', 'NAME', 'ROLE', 'STATUS']];
		for (let page = 1; ; page++) {
			const { items, total } = await listUsers({ role, page, pageSize: 100 });
			for (const u of items) {
				rows.push([u.email, u.name, ROLE_LABELS[u.role], u.active ? 'active' : 'inactive']);
			}
			if (items.length === 0 || rows.length - 1 >= total) break;
		}
		const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
		for (const r of rows)
			io.out(
				r
					.map((c, i) => c.padEnd(widths[i]!))
					.join('  ')
					.trimEnd()
			);
		io.out(`${rows.length - 1} user${rows.length === 2 ? '' : 's'}.`);
	},

	async 'set-role'(o, io) {
		const role = parseRole(o.role ?? '');
		const user = await userByEmail(o.email);
		const updated = await changeRole(CLI_ACTOR, user.id, role);
		io.out(
			user.role === updated.role
				? `${who(user)} already is ${ROLE_LABELS[role]}.`
				: `${who(user)} is now ${ROLE_LABELS[updated.role]} (was ${ROLE_LABELS[user.role]}).`
		);
	},

	async deactivate(o, io) {
		const user = await userByEmail(o.email);
		await setActive(CLI_ACTOR, user.id, false);
		io.out(`Deactivated ${who(user)}; their sessions were signed out and API keys stop working.`);
	},

	async activate(o, io) {
		const user = await userByEmail(o.email);
		await setActive(CLI_ACTOR, user.id, true);
		io.out(`Activated ${who(user)}.`);
	}
};
