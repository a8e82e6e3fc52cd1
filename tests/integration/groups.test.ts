import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { auditOf, callerAs, makeGroup, makeUser } from '../helpers/factories';
import { errorShape, expectCode } from '../helpers/trpc';

const uniqueName = (prefix = 'Team') => `${prefix} ${randomUUID().slice(0, 8)}`;

describe('groups', () => {
	it('a manager creates, updates and deletes a group; each step is audited', async () => {
		const manager = await makeUser({ role: 'IT_MANAGER' });
		const lead = await makeUser({ role: 'AGENT' });
		const caller = callerAs(manager);
		const name = uniqueName('Network');

		const created = await caller.groups.create({
			name: `  ${name} `,
			description: 'Switches and Wi-Fi',
			email: ' NETWORK@Example.COM ',
			managerId: lead.id
		});
		expect(created).toMatchObject({
			name,
			description: 'Switches and Wi-Fi',
			email: 'network@example.com',
			manager: { id: lead.id },
			_count: { members: 0 }
		});

		const updated = await caller.groups.update({
			id: created.id,
			name: `${name} 2`,
			email: '',
			managerId: null
		});
		expect(updated).toMatchObject({
			name: `${name} 2`,
			email: null,
			manager: null,
			description: null
		});
		expect((await caller.groups.list()).map((g) => g.id)).toContain(created.id);

		expect(await caller.groups.delete({ id: created.id })).toEqual({ ok: true });
		await expectCode(caller.groups.get({ id: created.id }), 'NOT_FOUND');

		const audit = await auditOf(created.id);
		expect(audit.map((a) => [a.action, a.actorId, a.entityType])).toEqual([
			['group.create', manager.id, 'Group'],
			['group.update', manager.id, 'Group'],
			['group.delete', manager.id, 'Group']
		]);
		expect(audit[2]?.data).toEqual({ name: `${name} 2` });
	});

	it('a duplicate name is CONFLICT on the name field, on create and on rename', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const taken = await makeGroup();
		const other = await makeGroup();
		const expected = { name: ['A group with this name already exists.'] };

		const onCreate = await expectCode(
			callerAs(admin).groups.create({ name: taken.name }),
			'CONFLICT'
		);
		expect(errorShape(onCreate, 'groups.create').data.fields).toEqual(expected);
		const onRename = await expectCode(
			callerAs(admin).groups.update({ id: other.id, name: taken.name }),
			'CONFLICT'
		);
		expect(errorShape(onRename, 'groups.update').data.fields).toEqual(expected);
	});

	it('a manager who does not exist is BAD_REQUEST on managerId', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const err = await expectCode(
			callerAs(admin).groups.create({ name: uniqueName(), managerId: randomUUID() }),
			'BAD_REQUEST'
		);
		expect(errorShape(err, 'groups.create').data.fields).toEqual({
			managerId: ['That user does not exist.']
		});
	});

	it('invalid input is BAD_REQUEST with a message per field', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const err = await expectCode(
			callerAs(admin).groups.create({ name: '', email: 'not mail', description: 'x'.repeat(501) }),
			'BAD_REQUEST'
		);
		expect(errorShape(err, 'groups.create').data.fields).toEqual({
			name: ['Name is required.'],
			email: ['Enter a valid email address.'],
			description: ['Description must be at most 500 characters.']
		});
	});

	it('updating or deleting a group that does not exist is NOT_FOUND', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		await expectCode(
			callerAs(admin).groups.update({ id: randomUUID(), name: uniqueName() }),
			'NOT_FOUND'
		);
		await expectCode(callerAs(admin).groups.delete({ id: randomUUID() }), 'NOT_FOUND');
	});
});

describe('group members', () => {
	it('setMembers adds and removes, and notifies only the newly added (not the actor)', async () => {
		const manager = await makeUser({ role: 'IT_MANAGER' });
		const [stays, leaves, joins] = [await makeUser(), await makeUser(), await makeUser()];
		const group = await makeGroup();
		await db().groupMember.createMany({
			data: [stays, leaves].map((u) => ({ groupId: group.id, userId: u.id }))
		});

		const result = await callerAs(manager).groups.setMembers({
			id: group.id,
			userIds: [stays.id, joins.id, joins.id, manager.id]
		});
		expect(result.members.map((m) => m.id).sort()).toEqual([stays.id, joins.id, manager.id].sort());
		expect(result._count.members).toBe(3);

		const titles = async (userId: string) =>
			(await db().notification.findMany({ where: { userId } })).map((n) => [n.type, n.title]);
		expect(await titles(joins.id)).toEqual([['group.added', `You were added to ${group.name}`]]);
		expect(await titles(stays.id)).toEqual([]);
		expect(await titles(leaves.id)).toEqual([]);
		expect(await titles(manager.id)).toEqual([]);

		const audit = (await auditOf(group.id)).find((a) => a.action === 'group.members');
		expect(audit?.actorId).toBe(manager.id);
		const data = audit?.data as { added: string[]; removed: string[] };
		expect(data.added.sort()).toEqual([joins.id, manager.id].sort());
		expect(data.removed).toEqual([leaves.id]);
	});

	it('unknown user ids are BAD_REQUEST on userIds and change nothing', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const member = await makeUser();
		const group = await makeGroup();
		await db().groupMember.create({ data: { groupId: group.id, userId: member.id } });
		const err = await expectCode(
			callerAs(admin).groups.setMembers({ id: group.id, userIds: [randomUUID()] }),
			'BAD_REQUEST'
		);
		expect(errorShape(err, 'groups.setMembers').data.fields).toEqual({
			userIds: ['Some chosen users do not exist.']
		});
		expect((await callerAs(admin).groups.get({ id: group.id })).members.map((m) => m.id)).toEqual([
			member.id
		]);
	});

	it('members of a group that does not exist: NOT_FOUND', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		await expectCode(
			callerAs(admin).groups.setMembers({ id: randomUUID(), userIds: [] }),
			'NOT_FOUND'
		);
	});

	it("setting a user's teams from the user's page replaces their memberships", async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const user = await makeUser({ role: 'AGENT' });
		const [a, b, c] = [await makeGroup(), await makeGroup(), await makeGroup()];
		await db().groupMember.createMany({
			data: [a, b].map((g) => ({ groupId: g.id, userId: user.id }))
		});

		await callerAs(admin).users.setGroups({ id: user.id, groupIds: [b.id, c.id] });
		const got = await callerAs(admin).users.get({ id: user.id });
		expect(got.groups.map((g) => g.id).sort()).toEqual([b.id, c.id].sort());
		expect((await auditOf(user.id)).map((x) => [x.action, x.actorId])).toContainEqual([
			'user.groups',
			admin.id
		]);

		await expectCode(
			callerAs(admin).users.setGroups({ id: user.id, groupIds: [randomUUID()] }),
			'BAD_REQUEST'
		);
		await expectCode(
			callerAs(admin).users.setGroups({ id: randomUUID(), groupIds: [] }),
			'NOT_FOUND'
		);
	});
});
