import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { signIn } from '../../src/lib/server/identity/auth';
import { issueSession, resolveSession } from '../../src/lib/server/identity/sessions';
import { findUserByEmail } from '../../src/lib/server/identity/users';
import {
	auditOf,
	callerAs,
	makeGroup,
	makeUser,
	uniqueEmail,
	uniqueIp
} from '../helpers/factories';
import { errorShape, expectCode } from '../helpers/trpc';

describe('listing users', () => {
	it('searches name, email and department case-insensitively', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const tag = randomUUID().slice(0, 8);
		const byName = await makeUser({ name: `Zelda ${tag}-Name` });
		const byEmail = await makeUser({ email: `${tag}-mail@test.example` });
		const byDept = await makeUser({ department: `Finance ${tag}-DEPT` });
		const caller = callerAs(admin);

		const all = await caller.users.list({ search: tag.toUpperCase() });
		expect(all.items.map((u) => u.id).sort()).toEqual([byName.id, byEmail.id, byDept.id].sort());
		expect(all.total).toBe(3);
		expect((await caller.users.list({ search: `${tag}-name` })).items.map((u) => u.id)).toEqual([
			byName.id
		]);
		expect(
			(await caller.users.list({ search: `${tag.toUpperCase()}-MAIL` })).items.map((u) => u.id)
		).toEqual([byEmail.id]);
		expect((await caller.users.list({ search: `  ${tag}-dept ` })).items.map((u) => u.id)).toEqual([
			byDept.id
		]);
	});

	it('filters by role and active, and pages with a stable order and the full total', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const tag = randomUUID().slice(0, 8);
		const made = [];
		for (let i = 0; i < 5; i++)
			made.push(await makeUser({ role: 'AGENT', name: `Pager ${tag} ${i}` }));
		const inactive = await makeUser({ role: 'AGENT', name: `Pager ${tag} 9`, active: false });
		const caller = callerAs(admin);

		const first = await caller.users.list({ search: `Pager ${tag}`, active: true, pageSize: 2 });
		expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2 });
		expect(first.items.map((u) => u.name)).toEqual([`Pager ${tag} 0`, `Pager ${tag} 1`]);
		const third = await caller.users.list({
			search: `Pager ${tag}`,
			active: true,
			pageSize: 2,
			page: 3
		});
		expect(third.items.map((u) => u.id)).toEqual([made[4]?.id]);
		const beyond = await caller.users.list({
			search: `Pager ${tag}`,
			active: true,
			pageSize: 2,
			page: 9
		});
		expect(beyond).toMatchObject({ items: [], total: 5 });

		const withInactive = await caller.users.list({ search: `Pager ${tag}` });
		expect(withInactive.total).toBe(6);
		expect(withInactive.pageSize).toBe(25);
		expect(
			(await caller.users.list({ search: `Pager ${tag}`, active: false })).items.map((u) => u.id)
		).toEqual([inactive.id]);
		expect((await caller.users.list({ search: `Pager ${tag}`, role: 'END_USER' })).total).toBe(0);
		// Rows carry no secrets.
		expect(first.items[0]).not.toHaveProperty('passwordHash');
	});

	it('rejects page sizes outside 1..100 with a field message', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		for (const pageSize of [0, 101]) {
			const err = await expectCode(callerAs(agent).users.list({ pageSize }), 'BAD_REQUEST');
			expect(errorShape(err, 'users.list').data.fields?.pageSize?.length).toBe(1);
		}
	});

	it('get returns a user with groups; an unknown id is NOT_FOUND', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const user = await makeUser();
		const group = await makeGroup();
		await db().groupMember.create({ data: { groupId: group.id, userId: user.id } });
		const got = await callerAs(agent).users.get({ id: user.id });
		expect(got).toMatchObject({
			id: user.id,
			email: user.email,
			groups: [{ id: group.id, name: group.name }]
		});
		await expectCode(callerAs(agent).users.get({ id: randomUUID() }), 'NOT_FOUND');
	});
});

describe('creating users', () => {
	it('creates a user with groups and a password, audited with the actor', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const g1 = await makeGroup();
		const g2 = await makeGroup();
		const email = uniqueEmail('new');
		const created = await callerAs(admin).users.create({
			name: '  Nia New ',
			email: `  ${email.toUpperCase()} `,
			role: 'AGENT',
			title: 'Network engineer',
			department: '',
			password: 'a strong password',
			groupIds: [g1.id, g2.id]
		});
		expect(created).toMatchObject({
			name: 'Nia New',
			email,
			role: 'AGENT',
			active: true,
			department: null
		});
		const got = await callerAs(admin).users.get({ id: created.id });
		expect(got.groups.map((g) => g.id).sort()).toEqual([g1.id, g2.id].sort());
		expect((await signIn(email, 'a strong password', { ip: uniqueIp() })).user.id).toBe(created.id);

		const audit = await auditOf(created.id);
		expect(audit[0]).toMatchObject({
			action: 'user.create',
			actorId: admin.id,
			entityType: 'User',
			data: { email, role: 'AGENT' }
		});
	});

	it('without a password the user exists but cannot sign in', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const created = await callerAs(admin).users.create({
			name: 'No Pass',
			email: uniqueEmail(),
			role: 'END_USER'
		});
		const row = await db().user.findUniqueOrThrow({ where: { id: created.id } });
		expect(row.passwordHash).toBeNull();
	});

	it('a duplicate email is CONFLICT with a message on the email field', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const existing = await makeUser();
		const err = await expectCode(
			callerAs(admin).users.create({
				name: 'Twin',
				email: existing.email.toUpperCase(),
				role: 'AGENT'
			}),
			'CONFLICT'
		);
		expect(errorShape(err, 'users.create').data.fields).toEqual({
			email: ['A user with this email already exists.']
		});
	});

	it('a group that does not exist is BAD_REQUEST on groupIds, and nothing is created', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const email = uniqueEmail();
		const err = await expectCode(
			callerAs(admin).users.create({
				name: 'Lost',
				email,
				role: 'AGENT',
				groupIds: [randomUUID()]
			}),
			'BAD_REQUEST'
		);
		expect(errorShape(err, 'users.create').data.fields?.groupIds).toEqual([
			'A chosen group no longer exists.'
		]);
		expect(await findUserByEmail(email)).toBeNull();
	});

	it('invalid input is BAD_REQUEST with a message per field', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const err = await expectCode(
			callerAs(admin).users.create({
				name: ' ',
				email: 'nope',
				role: 'KING' as never,
				password: 'short',
				phone: 'x'.repeat(41)
			}),
			'BAD_REQUEST'
		);
		const shape = errorShape(err, 'users.create');
		expect(shape.message).toBe('Some fields are not valid.');
		expect(shape.data.fields).toEqual({
			name: ['Name is required.'],
			email: ['Enter a valid email address.'],
			role: ['Choose a valid role.'],
			password: ['Password must be at least 8 characters.'],
			phone: ['Phone must be at most 40 characters.']
		});
	});
});

describe('updating users', () => {
	it('updates profile fields, audits which ones, and keeps the others', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const user = await makeUser({ department: 'Sales' });
		const updated = await callerAs(admin).users.update({
			id: user.id,
			title: 'Lead',
			phone: '+49 30 1234'
		});
		expect(updated).toMatchObject({ title: 'Lead', department: 'Sales', name: user.name });
		const audit = (await auditOf(user.id)).find((a) => a.action === 'user.update');
		expect(audit).toMatchObject({ actorId: admin.id, data: { fields: ['title', 'phone'] } });
	});

	it('changing to an email someone else has is CONFLICT on email; an unknown id is NOT_FOUND', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const a = await makeUser();
		const b = await makeUser();
		const err = await expectCode(
			callerAs(admin).users.update({ id: a.id, email: b.email }),
			'CONFLICT'
		);
		expect(errorShape(err, 'users.update').data.fields?.email).toEqual([
			'A user with this email already exists.'
		]);
		await expectCode(
			callerAs(admin).users.update({ id: randomUUID(), name: 'Ghost' }),
			'NOT_FOUND'
		);
	});
});

describe('changing roles', () => {
	it('writes the audit row with the change, notifies the user, and takes effect at once', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const user = await makeUser({ role: 'END_USER' });
		const { token } = await issueSession(user.id);
		const updated = await callerAs(admin).users.changeRole({ id: user.id, role: 'AGENT' });
		expect(updated.role).toBe('AGENT');
		expect((await resolveSession(token))?.user.role).toBe('AGENT');

		const audit = (await auditOf(user.id)).filter((a) => a.action === 'user.changeRole');
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actorId: admin.id, data: { from: 'END_USER', to: 'AGENT' } });
		const notes = await callerAs(user).notifications.list();
		expect(notes.map((n) => [n.type, n.title])).toEqual([['user.role', 'Your role is now Agent']]);
	});

	it('the same role again changes nothing: no audit row, no notification', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const user = await makeUser({ role: 'AGENT' });
		expect((await callerAs(admin).users.changeRole({ id: user.id, role: 'AGENT' })).role).toBe(
			'AGENT'
		);
		expect((await auditOf(user.id)).filter((a) => a.action === 'user.changeRole')).toEqual([]);
		expect(await callerAs(user).notifications.list()).toEqual([]);
	});

	it('an unknown user is NOT_FOUND and leaves no audit row', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const id = randomUUID();
		await expectCode(callerAs(admin).users.changeRole({ id, role: 'AGENT' }), 'NOT_FOUND');
		expect(await auditOf(id)).toEqual([]);
	});

	it('an admin can demote another admin while other active admins remain', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const other = await makeUser({ role: 'ADMIN' });
		expect(
			(await callerAs(admin).users.changeRole({ id: other.id, role: 'IT_MANAGER' })).role
		).toBe('IT_MANAGER');
	});
});

describe('activating and deactivating', () => {
	it('an admin cannot deactivate their own account', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const err = await expectCode(
			callerAs(admin).users.setActive({ id: admin.id, active: false }),
			'CONFLICT'
		);
		expect(err.message).toBe('You cannot deactivate your own account.');
		expect((await db().user.findUniqueOrThrow({ where: { id: admin.id } })).active).toBe(true);
	});

	it('deactivate and reactivate are audited as such', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const user = await makeUser({ role: 'AGENT' });
		expect((await callerAs(admin).users.setActive({ id: user.id, active: false })).active).toBe(
			false
		);
		expect((await callerAs(admin).users.setActive({ id: user.id, active: true })).active).toBe(
			true
		);
		const actions = (await auditOf(user.id)).map((a) => [a.action, a.actorId]);
		expect(actions).toEqual([
			['user.deactivate', admin.id],
			['user.reactivate', admin.id]
		]);
		await expectCode(
			callerAs(admin).users.setActive({ id: randomUUID(), active: false }),
			'NOT_FOUND'
		);
	});
});

describe('setting a password', () => {
	it('replaces the password and revokes every session of that user', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const user = await makeUser({ role: 'AGENT' });
		const a = await issueSession(user.id);
		const b = await issueSession(user.id);
		await callerAs(admin).users.setPassword({ id: user.id, password: 'brand new secret' });
		expect(await resolveSession(a.token)).toBeNull();
		expect(await resolveSession(b.token)).toBeNull();
		expect((await signIn(user.email, 'brand new secret', { ip: uniqueIp() })).user.id).toBe(
			user.id
		);
		expect((await auditOf(user.id)).map((x) => [x.action, x.actorId])).toContainEqual([
			'user.resetPassword',
			admin.id
		]);
	});

	it('a too short password is BAD_REQUEST on the password field; an unknown user is NOT_FOUND', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const err = await expectCode(
			callerAs(admin).users.setPassword({ id: admin.id, password: 'short' }),
			'BAD_REQUEST'
		);
		expect(errorShape(err, 'users.setPassword').data.fields?.password).toEqual([
			'Password must be at least 8 characters.'
		]);
		await expectCode(
			callerAs(admin).users.setPassword({ id: randomUUID(), password: 'long enough' }),
			'NOT_FOUND'
		);
	});
});

describe('profile preferences', () => {
	it('a signed-in user sets their own theme, which their session then carries', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const { token } = await issueSession(user.id);
		expect(await callerAs(user).auth.setTheme({ theme: 'light' })).toEqual({ theme: 'light' });
		expect((await resolveSession(token))?.user.theme).toBe('light');
		expect(await callerAs(user).auth.me()).toMatchObject({ id: user.id });
		expect(await callerAs(null).auth.me()).toBeNull();
	});
});

describe('listUsers staff filter', () => {
	it('returns only admins, IT managers and agents when staff is set', async () => {
		const tag = `Stafffilter${Date.now()}`;
		await makeUser({ role: 'AGENT', name: `${tag} Agent` });
		await makeUser({ role: 'END_USER', name: `${tag} Employee` });
		const admin = await makeUser({ role: 'ADMIN', name: `${tag} Admin` });
		const page = await callerAs(admin).users.list({ search: tag, staff: true });
		expect(page.items.map((u) => u.role).sort()).toEqual(['ADMIN', 'AGENT']);
	});
});
