import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { changeRole, setActive, setPassword } from '../../src/lib/server/identity/users';
import { auditOf, callerAs, makeUser } from '../helpers/factories';

/** An actor id that is no user: the audit row's foreign key rejects it, inside the transaction. */
const ghost = () => ({ id: randomUUID(), ip: '198.51.100.1' });

describe('a change and its audit row are written in one transaction', () => {
	it('if the audit row cannot be written, the role change is rolled back', async () => {
		const user = await makeUser({ role: 'END_USER' });
		await expect(changeRole(ghost(), user.id, 'AGENT')).rejects.toThrow();
		expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe('END_USER');
		expect(await auditOf(user.id)).toEqual([]);
		expect(await db().notification.count({ where: { userId: user.id } })).toBe(0);
	});

	it('if the audit row cannot be written, deactivation and its session revocation are rolled back', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const session = await db().session.create({
			data: { userId: user.id, expiresAt: new Date(Date.now() + 60_000) }
		});
		await expect(setActive(ghost(), user.id, false)).rejects.toThrow();
		expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).active).toBe(true);
		expect(
			(await db().session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt
		).toBeNull();
	});

	it('if the audit row cannot be written, the password stays as it was', async () => {
		const user = await makeUser();
		await expect(setPassword(ghost(), user.id, 'another password')).rejects.toThrow();
		const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
		expect(row.passwordHash).toBe(user.passwordHash);
	});
});

describe('admin actions leave an audit trail with actor, entity and address', () => {
	it('create, update, role, deactivate, reactivate, password: one row each, in order', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const caller = callerAs(admin);
		const created = await caller.users.create({
			name: 'Audited',
			email: `audited-${randomUUID().slice(0, 8)}@test.example`,
			role: 'END_USER'
		});
		await caller.users.update({ id: created.id, title: 'Clerk' });
		await caller.users.changeRole({ id: created.id, role: 'AGENT' });
		await caller.users.setActive({ id: created.id, active: false });
		await caller.users.setActive({ id: created.id, active: true });
		await caller.users.setPassword({ id: created.id, password: 'long enough pw' });

		const rows = await auditOf(created.id);
		expect(rows.map((r) => r.action)).toEqual([
			'user.create',
			'user.update',
			'user.changeRole',
			'user.deactivate',
			'user.reactivate',
			'user.resetPassword'
		]);
		for (const row of rows) {
			expect(row).toMatchObject({ actorId: admin.id, entityType: 'User', entityId: created.id });
			expect(row.ip).toMatch(/^10\.0\.\d+\.\d+$/);
		}
	});
});

describe('reading the audit log (audit.list)', () => {
	it('newest first, filtered by entity, action prefix or actor, paged with a cursor', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const caller = callerAs(admin);
		const user = await makeUser({ role: 'END_USER' });
		await caller.users.update({ id: user.id, title: 'One' });
		await caller.users.changeRole({ id: user.id, role: 'AGENT' });
		await caller.users.setActive({ id: user.id, active: false });

		const all = await caller.audit.list({ entityId: user.id });
		expect(all.items.map((r) => r.action)).toEqual([
			'user.deactivate',
			'user.changeRole',
			'user.update'
		]);
		expect(all.nextCursor).toBeNull();
		expect(all.items[0]).toMatchObject({
			entityType: 'User',
			actor: { id: admin.id, email: admin.email }
		});
		expect(all.items[0]?.id).toMatch(/^\d+$/);

		const first = await caller.audit.list({ entityId: user.id, limit: 2 });
		expect(first.items.map((r) => r.action)).toEqual(['user.deactivate', 'user.changeRole']);
		expect(first.nextCursor).toBe(first.items[1]?.id);
		const rest = await caller.audit.list({
			entityId: user.id,
			limit: 2,
			cursor: first.nextCursor ?? undefined
		});
		expect(rest.items.map((r) => r.action)).toEqual(['user.update']);
		expect(rest.nextCursor).toBeNull();

		const byPrefix = await caller.audit.list({ entityId: user.id, action: 'user.change' });
		expect(byPrefix.items.map((r) => r.action)).toEqual(['user.changeRole']);
		const byActor = await caller.audit.list({ actorId: admin.id });
		expect(byActor.items.every((r) => r.actor?.id === admin.id)).toBe(true);
		expect(byActor.items).toHaveLength(3);
	});
});
