import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { notify } from '../../src/lib/server/identity/notifications';
import { auditOf, callerAs, makeGroup, makeUser } from '../helpers/factories';
import { errorShape, expectCode } from '../helpers/trpc';

describe('my own profile (me.*)', () => {
	it('anyone signed in reads their profile with their teams', async () => {
		const user = await makeUser({ role: 'END_USER', department: 'Legal' });
		const group = await makeGroup();
		await db().groupMember.create({ data: { groupId: group.id, userId: user.id } });
		const profile = await callerAs(user).me.profile();
		expect(profile).toMatchObject({ id: user.id, email: user.email, department: 'Legal' });
		expect(profile.groups).toEqual([{ id: group.id, name: group.name }]);
	});

	it('updating my profile changes only my own row, audited with me as the actor', async () => {
		const user = await makeUser({ role: 'AGENT' });
		const updated = await callerAs(user).me.updateProfile({ name: '  New Name ', phone: '123' });
		expect(updated).toMatchObject({ id: user.id, name: 'New Name', email: user.email });
		expect((await auditOf(user.id)).map((a) => [a.action, a.actorId])).toEqual([
			['user.update', user.id]
		]);
	});

	it('an empty name is BAD_REQUEST on the name field', async () => {
		const user = await makeUser();
		const err = await expectCode(callerAs(user).me.updateProfile({ name: ' ' }), 'BAD_REQUEST');
		expect(errorShape(err, 'me.updateProfile').data.fields).toEqual({
			name: ['Name is required.']
		});
	});

	it('the staff overview lists my teams and notifications; head counts only for who may read users', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const group = await makeGroup();
		await db().groupMember.create({ data: { groupId: group.id, userId: agent.id } });
		await notify(agent.id, { type: 't', title: 'hello' });
		const overview = await callerAs(agent).me.overview();
		expect(overview.teams).toEqual([
			{ id: group.id, name: group.name, description: null, memberCount: 1 }
		]);
		expect(overview.notifications.map((n) => n.title)).toEqual(['hello']);
		expect(overview.peopleByRole.AGENT).toBeGreaterThanOrEqual(1);
	});

	it('the portal overview shows teams that can be reached by email, and my notifications', async () => {
		const user = await makeUser({ role: 'END_USER' });
		const reachable = await db().group.create({
			data: {
				name: `Desk ${user.id.slice(0, 8)}`,
				email: `desk-${user.id.slice(0, 8)}@test.example`
			}
		});
		const hidden = await makeGroup();
		await notify(user.id, { type: 't', title: 'welcome' });
		const portal = await callerAs(user).me.portal();
		const ids = portal.contacts.map((c) => c.id);
		expect(ids).toContain(reachable.id);
		expect(ids).not.toContain(hidden.id);
		expect(portal.notifications.map((n) => n.title)).toEqual(['welcome']);
	});
});
