import { describe, expect, it } from 'vitest';
import { callerAs, makeUser, TEST_PASSWORD } from '../helpers/factories';
import { signIn } from '../../src/lib/server/identity/auth';
import { resolveSession } from '../../src/lib/server/identity/sessions';

describe('sign-in', () => {
	it('issues a session that resolves to the user', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const result = await signIn(user.email, TEST_PASSWORD, { ip: '10.1.1.1' });
		const session = await resolveSession(result.token);
		expect(session?.user.id).toBe(user.id);
		expect(session?.user.role).toBe('AGENT');
	});

	it('an admin can list users', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const page = await callerAs(admin).users.list({ search: admin.email });
		expect(page.items.map((u) => u.id)).toEqual([admin.id]);
	});
});
