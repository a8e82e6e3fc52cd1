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
		expect((await db().session.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).toBeNull();
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
