import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { AppError } from '../../src/lib/server/errors';
import { changeRole, setActive } from '../../src/lib/server/identity/users';
import { callerAs, makeUser } from '../helpers/factories';
import { useOwnDatabase } from '../helpers/database';
import { expectCode } from '../helpers/trpc';

/*
 * "At least one active admin" is a property of the whole User table, so these tests run on a
 * database of their own: other test files create admins in the shared one all the time.
 */
let restore: () => Promise<void>;
beforeAll(async () => {
	({ restore } = await useOwnDatabase());
});
afterAll(() => restore());

const activeAdmins = () => db().user.count({ where: { role: 'ADMIN', active: true } });

describe('the organisation always keeps an active admin', () => {
	it('the only admin cannot demote themselves', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const err = await expectCode(
			callerAs(admin).users.changeRole({ id: admin.id, role: 'AGENT' }),
			'CONFLICT'
		);
		expect(err.message).toBe('This is the last active admin; make someone else admin first.');
		expect(await activeAdmins()).toBe(1);
	});

	it('the only active admin cannot be deactivated (e.g. from the command line)', async () => {
		const err = await setActive(
			{ id: null },
			(await db().user.findFirstOrThrow({ where: { role: 'ADMIN' } })).id,
			false
		).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AppError);
		expect((err as AppError).message).toBe(
			'This is the last active admin and cannot be deactivated.'
		);
		expect(await activeAdmins()).toBe(1);
	});

	it('an inactive admin does not count as a remaining admin', async () => {
		const admin = await db().user.findFirstOrThrow({ where: { role: 'ADMIN', active: true } });
		await makeUser({ role: 'ADMIN', active: false });
		await expectCode(callerAs(admin).users.changeRole({ id: admin.id, role: 'AGENT' }), 'CONFLICT');
	});

	it('with a second active admin, an admin may step down', async () => {
		const first = await db().user.findFirstOrThrow({ where: { role: 'ADMIN', active: true } });
		const second = await makeUser({ role: 'ADMIN' });
		expect(
			(await callerAs(first).users.changeRole({ id: first.id, role: 'IT_MANAGER' })).role
		).toBe('IT_MANAGER');
		// ...and now the second is the last one.
		await expectCode(
			callerAs(second).users.changeRole({ id: second.id, role: 'AGENT' }),
			'CONFLICT'
		);
	});

	it('two admins demoting each other at the same moment cannot both succeed', async () => {
		const system = { id: null };
		for (let round = 0; round < 3; round++) {
			const a = await makeUser({ role: 'ADMIN' });
			await db().user.updateMany({
				where: { role: 'ADMIN', id: { not: a.id } },
				data: { role: 'AGENT' }
			});
			const b = await makeUser({ role: 'ADMIN' });
			const results = await Promise.allSettled([
				changeRole(system, a.id, 'AGENT'),
				changeRole(system, b.id, 'AGENT')
			]);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const refused = results.find((r) => r.status === 'rejected')?.reason as AppError;
			expect(refused.code).toBe('CONFLICT');
			expect(await activeAdmins()).toBe(1);
		}
	});

	it('nor can two admins deactivate each other at the same moment', async () => {
		for (let round = 0; round < 3; round++) {
			const a = await makeUser({ role: 'ADMIN' });
			await db().user.updateMany({
				where: { role: 'ADMIN', id: { not: a.id } },
				data: { role: 'AGENT' }
			});
			const b = await makeUser({ role: 'ADMIN' });
			const results = await Promise.allSettled([
				setActive({ id: b.id }, a.id, false),
				setActive({ id: a.id }, b.id, false)
			]);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const refused = results.find((r) => r.status === 'rejected')?.reason as AppError;
			expect(refused.code).toBe('CONFLICT');
			expect(await activeAdmins()).toBe(1);
		}
	});
});
