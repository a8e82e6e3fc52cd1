import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { activeConfig } from '../../src/lib/server/tickets/config';
import { seedTicketConfig } from '../../src/lib/server/tickets/config-seed';
import { getUploadLimitBytes } from '../../src/lib/server/settings/uploads';
import { toSessionUser } from '../../src/lib/server/identity/sessions';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCallerFactory, router } from '../../src/lib/server/trpc/init';
import { settingsRouter } from '../../src/lib/server/trpc/routers/settings';
import { ticketConfigRouter } from '../../src/lib/server/trpc/routers/ticketConfig';
import { auditOf, makeUser, type TestUser } from '../helpers/factories';
import { makeTicket } from '../helpers/tickets';
import { errorShape, expectCode } from '../helpers/trpc';

const testRouter = router({ ticketConfig: ticketConfigRouter, settings: settingsRouter });
const callerOf = (user: TestUser) =>
	createCallerFactory(testRouter)(createContext({ user: toSessionUser(user) }));
const uid = () => randomUUID().slice(0, 8);
const key = () => `f_${uid()}`;

async function fieldsOfError(
	promise: Promise<unknown>,
	code: 'BAD_REQUEST' | 'CONFLICT',
	path: string
) {
	const err = await expectCode(promise, code);
	return errorShape(err, path).data.fields ?? {};
}

describe('ticket types', () => {
	it('an admin creates and renames a type; each change is audited', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const api = callerOf(admin).ticketConfig;
		const name = `Change ${uid()}`;
		const created = await api.createType({ name: `  ${name} `, description: 'Planned work' });
		expect(created).toMatchObject({
			name,
			description: 'Planned work',
			active: true,
			ticketCount: 0
		});

		const renamed = await api.updateType({ id: created.id, name: `${name} 2`, position: 7 });
		expect(renamed).toMatchObject({ name: `${name} 2`, position: 7, description: null });

		const audit = await auditOf(created.id);
		expect(audit.map((a) => [a.action, a.actorId, a.entityType])).toEqual([
			['ticketType.create', admin.id, 'TicketType'],
			['ticketType.update', admin.id, 'TicketType']
		]);
		expect((await api.list()).types.map((t) => t.id)).toContain(created.id);
	});

	it('a type name is unique whatever its case, on create and on rename', async () => {
		const api = callerOf(await makeUser({ role: 'ADMIN' })).ticketConfig;
		const name = `Outage ${uid()}`;
		await api.createType({ name });
		const other = await api.createType({ name: `${name} other` });
		const expected = { name: ['A ticket type with this name already exists.'] };
		expect(
			await fieldsOfError(api.createType({ name: name.toUpperCase() }), 'CONFLICT', 'x')
		).toEqual(expected);
		expect(await fieldsOfError(api.updateType({ id: other.id, name }), 'CONFLICT', 'x')).toEqual(
			expected
		);
	});

	it('only admins manage the configuration; every signed-in role with ticket.read gets the active one', async () => {
		for (const role of ['IT_MANAGER', 'AGENT', 'END_USER'] as const) {
			const api = callerOf(await makeUser({ role })).ticketConfig;
			await expectCode(api.list(), 'FORBIDDEN');
			await expectCode(api.createType({ name: `Nope ${uid()}` }), 'FORBIDDEN');
			const active = await api.active();
			expect(active.types.map((t) => t.name)).toContain('Incident');
		}
	});

	it('a type used by tickets is deactivated instead of deleted; an unused one is deleted', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const api = callerOf(admin).ticketConfig;
		const used = await api.createType({ name: `Used ${uid()}` });
		const unused = await api.createType({ name: `Unused ${uid()}` });
		await makeTicket(admin, { typeId: used.id });

		expect(await api.delete({ entity: 'type', id: used.id })).toEqual({
			deleted: false,
			deactivated: true
		});
		expect(await api.delete({ entity: 'type', id: unused.id })).toEqual({
			deleted: true,
			deactivated: false
		});
		const list = await api.list();
		expect(list.types.find((t) => t.id === used.id)).toMatchObject({
			active: false,
			ticketCount: 1
		});
		expect(list.types.find((t) => t.id === unused.id)).toBeUndefined();
		expect((await api.active()).types.map((t) => t.id)).not.toContain(used.id);
		expect((await auditOf(used.id)).map((a) => a.action)).toEqual([
			'ticketType.create',
			'ticketType.deactivate'
		]);
		expect((await auditOf(unused.id)).map((a) => a.action)).toEqual([
			'ticketType.create',
			'ticketType.delete'
		]);
		await expectCode(api.delete({ entity: 'type', id: unused.id }), 'NOT_FOUND');
	});

	it('deleting a type takes it off its fields; a field limited to that type alone is deactivated', async () => {
		const api = callerOf(await makeUser({ role: 'ADMIN' })).ticketConfig;
		const a = await api.createType({ name: `A ${uid()}` });
		const b = await api.createType({ name: `B ${uid()}` });
		const both = await api.createField({
			key: key(),
			label: 'Both',
			kind: 'TEXT',
			typeIds: [a.id, b.id]
		});
		const onlyA = await api.createField({
			key: key(),
			label: 'Only A',
			kind: 'TEXT',
			typeIds: [a.id]
		});
		await api.delete({ entity: 'type', id: a.id });
		const fields = (await api.list()).fields;
		expect(fields.find((f) => f.id === both.id)).toMatchObject({ typeIds: [b.id], active: true });
		expect(fields.find((f) => f.id === onlyA.id)).toMatchObject({ typeIds: [], active: false });
		expect((await auditOf(onlyA.id)).map((x) => x.action)).toContain('customField.deactivate');
	});

	it('reorder sets positions in the given order; setActive toggles and is audited', async () => {
		const api = callerOf(await makeUser({ role: 'ADMIN' })).ticketConfig;
		const x = await api.createType({ name: `X ${uid()}`, position: 5 });
		const y = await api.createType({ name: `Y ${uid()}`, position: 6 });
		await api.reorder({ entity: 'type', ids: [y.id, x.id] });
		const types = (await api.list()).types;
		expect(types.find((t) => t.id === y.id)?.position).toBe(0);
		expect(types.find((t) => t.id === x.id)?.position).toBe(1);
		await expectCode(api.reorder({ entity: 'type', ids: [randomUUID()] }), 'NOT_FOUND');

		expect(await api.setActive({ entity: 'type', id: x.id, active: false })).toEqual({
			id: x.id,
			active: false
		});
		await api.setActive({ entity: 'type', id: x.id, active: true });
		expect((await auditOf(x.id)).map((a) => a.action)).toEqual([
			'ticketType.create',
			'ticketType.deactivate',
			'ticketType.activate'
		]);
		await expectCode(
			api.setActive({ entity: 'field', id: randomUUID(), active: true }),
			'NOT_FOUND'
		);
	});
});

describe('ticket categories', () => {
	it('names are unique per parent (any case), the same name may sit under another parent', async () => {
		const api = callerOf(await makeUser({ role: 'ADMIN' })).ticketConfig;
		const root = `Root ${uid()}`;
		const hw = await api.createCategory({ name: root });
		const sw = await api.createCategory({ name: `${root} sw` });
		const laptop = await api.createCategory({ name: 'Laptop', parentId: hw.id });
		await api.createCategory({ name: 'Laptop', parentId: sw.id });
		expect(laptop).toMatchObject({ parentId: hw.id, ticketCount: 0, childCount: 0 });

		const expected = { name: ['There is already a category with this name here.'] };
		expect(
			await fieldsOfError(api.createCategory({ name: 'LAPTOP', parentId: hw.id }), 'CONFLICT', 'x')
		).toEqual(expected);
		expect(
			await fieldsOfError(api.createCategory({ name: root.toLowerCase() }), 'CONFLICT', 'x')
		).toEqual(expected);
		expect(
			await fieldsOfError(api.updateCategory({ id: sw.id, name: root }), 'CONFLICT', 'x')
		).toEqual(expected);
	});

	it('a category cannot move inside itself or below itself, nor under a missing parent', async () => {
		const api = callerOf(await makeUser({ role: 'ADMIN' })).ticketConfig;
		const a = await api.createCategory({ name: `A ${uid()}` });
		const b = await api.createCategory({ name: 'B', parentId: a.id });
		const c = await api.createCategory({ name: 'C', parentId: b.id });
		const loop = { parentId: ['A category cannot sit inside itself or one of its subcategories.'] };
		expect(
			await fieldsOfError(
				api.updateCategory({ id: a.id, name: a.name, parentId: c.id }),
				'BAD_REQUEST',
				'x'
			)
		).toEqual(loop);
		expect(
			await fieldsOfError(
				api.updateCategory({ id: a.id, name: a.name, parentId: a.id }),
				'BAD_REQUEST',
				'x'
			)
		).toEqual(loop);
		expect(
			await fieldsOfError(
				api.createCategory({ name: 'D', parentId: randomUUID() }),
				'BAD_REQUEST',
				'x'
			)
		).toEqual({ parentId: ['Choose a valid parent category.'] });
		await expectCode(api.updateCategory({ id: randomUUID(), name: 'Gone' }), 'NOT_FOUND');

		// Moving C to the top level is fine.
		expect(await api.updateCategory({ id: c.id, name: c.name, parentId: null })).toMatchObject({
			parentId: null
		});
	});

	it('forms get active categories in tree order with their paths; an inactive parent hides its subtree', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const api = callerOf(admin).ticketConfig;
		const top = await api.createCategory({ name: `Top ${uid()}` });
		const second = await api.createCategory({ name: 'Second', parentId: top.id, position: 2 });
		const first = await api.createCategory({ name: 'First', parentId: top.id, position: 1 });
		const deep = await api.createCategory({ name: 'Deep', parentId: second.id });

		const tree = (await activeConfig()).categories;
		const mine = tree.filter((c) => [top.id, first.id, second.id, deep.id].includes(c.id));
		expect(mine.map((c) => [c.path, c.depth])).toEqual([
			[top.name, 0],
			[`${top.name} › First`, 1],
			[`${top.name} › Second`, 1],
			[`${top.name} › Second › Deep`, 2]
		]);

		await api.setActive({ entity: 'category', id: second.id, active: false });
		const after = (await activeConfig()).categories.map((c) => c.id);
		expect(after).toContain(first.id);
		expect(after).not.toContain(second.id);
		expect(after).not.toContain(deep.id);
	});

	it('a category with tickets or subcategories is deactivated instead of deleted', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const api = callerOf(admin).ticketConfig;
		const parent = await api.createCategory({ name: `P ${uid()}` });
		const child = await api.createCategory({ name: 'Child', parentId: parent.id });
		const used = await api.createCategory({ name: `Used ${uid()}` });
		await makeTicket(admin, { categoryId: used.id });

		expect(await api.delete({ entity: 'category', id: parent.id })).toMatchObject({
			deleted: false
		});
		expect(await api.delete({ entity: 'category', id: used.id })).toMatchObject({ deleted: false });
		expect(await api.delete({ entity: 'category', id: child.id })).toMatchObject({ deleted: true });
		const list = (await api.list()).categories;
		expect(list.find((c) => c.id === used.id)).toMatchObject({ active: false, ticketCount: 1 });
		expect(list.find((c) => c.id === parent.id)).toMatchObject({ active: false, childCount: 0 });
		expect((await auditOf(child.id)).map((a) => a.action)).toEqual([
			'ticketCategory.create',
			'ticketCategory.delete'
		]);
	});
});

describe('custom field definitions', () => {
	it('choice fields need options, each once; other kinds drop them; keys are slugs', async () => {
		const api = callerOf(await makeUser({ role: 'ADMIN' })).ticketConfig;
		const type = await api.createType({ name: `T ${uid()}` });
		expect(
			await fieldsOfError(
				api.createField({ key: key(), label: 'Impact', kind: 'SELECT', typeIds: [type.id] }),
				'BAD_REQUEST',
				'x'
			)
		).toMatchObject({ options: ['Add at least one option for a choice field.'] });
		expect(
			await fieldsOfError(
				api.createField({
					key: key(),
					label: 'Impact',
					kind: 'MULTI_SELECT',
					options: ['a', ' A '],
					typeIds: [type.id]
				}),
				'BAD_REQUEST',
				'x'
			)
		).toMatchObject({ options: ['The option “A” is listed twice.'] });
		expect(
			await fieldsOfError(
				api.createField({ key: 'Bad Key', label: 'X', kind: 'TEXT' }),
				'BAD_REQUEST',
				'x'
			)
		).toMatchObject({
			key: ['Key may use lower-case letters, digits and _ and must start with a letter.']
		});

		const text = await api.createField({
			key: key(),
			label: 'Serial',
			kind: 'TEXT',
			options: ['ignored'],
			typeIds: [type.id, type.id],
			helpText: '  '
		});
		expect(text).toMatchObject({
			options: [],
			typeIds: [type.id],
			helpText: null,
			required: false,
			public: false
		});
	});

	it('a key is unique; unknown types are refused', async () => {
		const api = callerOf(await makeUser({ role: 'ADMIN' })).ticketConfig;
		const type = await api.createType({ name: `T ${uid()}` });
		const k = key();
		const f = await api.createField({ key: k, label: 'One', kind: 'NUMBER', typeIds: [type.id] });
		expect(
			await fieldsOfError(
				api.createField({ key: k, label: 'Two', kind: 'NUMBER', typeIds: [type.id] }),
				'CONFLICT',
				'x'
			)
		).toEqual({ key: ['A field with this key already exists.'] });
		expect(
			await fieldsOfError(
				api.createField({ key: key(), label: 'X', kind: 'TEXT', typeIds: [randomUUID()] }),
				'BAD_REQUEST',
				'x'
			)
		).toEqual({ typeIds: ['Some chosen ticket types do not exist.'] });
		const updated = await api.updateField({
			id: f.id,
			key: k,
			label: 'Renamed',
			kind: 'NUMBER',
			typeIds: [type.id],
			required: true
		});
		expect(updated).toMatchObject({ label: 'Renamed', required: true });
		await expectCode(
			api.updateField({ id: randomUUID(), key: key(), label: 'X', kind: 'TEXT' }),
			'NOT_FOUND'
		);
	});

	it('once tickets hold values, the key and kind stay and delete deactivates; before that both may change', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const api = callerOf(admin).ticketConfig;
		const type = await api.createType({ name: `T ${uid()}` });
		const k = key();
		const f = await api.createField({ key: k, label: 'Tag', kind: 'TEXT', typeIds: [type.id] });
		const k2 = key();
		const moved = await api.updateField({
			id: f.id,
			key: k2,
			label: 'Tag',
			kind: 'LONG_TEXT',
			typeIds: [type.id]
		});
		expect(moved).toMatchObject({ key: k2, kind: 'LONG_TEXT' });

		await makeTicket(admin, { typeId: type.id, customFields: { [k2]: 'LT-1' } });
		expect(
			await fieldsOfError(
				api.updateField({
					id: f.id,
					key: key(),
					label: 'Tag',
					kind: 'LONG_TEXT',
					typeIds: [type.id]
				}),
				'BAD_REQUEST',
				'x'
			)
		).toEqual({ key: ['Tickets already hold values under this key, so it cannot change.'] });
		expect(
			await fieldsOfError(
				api.updateField({ id: f.id, key: k2, label: 'Tag', kind: 'NUMBER', typeIds: [type.id] }),
				'BAD_REQUEST',
				'x'
			)
		).toEqual({ kind: ['Tickets already hold values for this field, so its kind cannot change.'] });

		expect(await api.delete({ entity: 'field', id: f.id })).toMatchObject({ deleted: false });
		const unused = await api.createField({
			key: key(),
			label: 'Unused',
			kind: 'DATE',
			typeIds: [type.id]
		});
		expect(await api.delete({ entity: 'field', id: unused.id })).toMatchObject({ deleted: true });
		expect((await api.list()).fields.find((x) => x.id === f.id)).toMatchObject({ active: false });
	});

	it('the active configuration shows requesters only public fields, staff all active ones', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const api = callerOf(admin).ticketConfig;
		const type = await api.createType({ name: `T ${uid()}` });
		const pub = await api.createField({
			key: key(),
			label: 'Public',
			kind: 'CHECKBOX',
			public: true,
			typeIds: [type.id]
		});
		const priv = await api.createField({
			key: key(),
			label: 'Private',
			kind: 'CHECKBOX',
			typeIds: [type.id]
		});
		const off = await api.createField({
			key: key(),
			label: 'Off',
			kind: 'CHECKBOX',
			active: false,
			typeIds: [type.id]
		});

		const staffKeys = (
			await callerOf(await makeUser({ role: 'AGENT' })).ticketConfig.active()
		).fields.map((f) => f.key);
		const userKeys = (
			await callerOf(await makeUser({ role: 'END_USER' })).ticketConfig.active()
		).fields.map((f) => f.key);
		expect(staffKeys).toEqual(expect.arrayContaining([pub.key, priv.key]));
		expect(staffKeys).not.toContain(off.key);
		expect(userKeys).toContain(pub.key);
		expect(userKeys).not.toContain(priv.key);
	});
});

describe('demo seed', () => {
	it('adds categories, two fields and four shared canned responses, and can run twice', async () => {
		await seedTicketConfig();
		await seedTicketConfig();
		const hardware = await db().ticketCategory.findMany({
			where: { parentId: null, name: 'Hardware' }
		});
		expect(hardware).toHaveLength(1);
		const children = await db().ticketCategory.findMany({ where: { parentId: hardware[0]!.id } });
		expect(children.map((c) => c.name).sort()).toEqual(['Laptop', 'Printer']);
		const impact = await db().customField.findUnique({ where: { key: 'impact' } });
		expect(impact).toMatchObject({
			kind: 'SELECT',
			public: true,
			options: ['Single user', 'Team', 'Whole company']
		});
		expect(await db().customField.findUnique({ where: { key: 'asset_tag' } })).toMatchObject({
			public: false
		});
		const canned = await db().cannedResponse.findMany({
			where: { ownerId: null, title: 'Greeting' }
		});
		expect(canned).toHaveLength(1);
		expect(
			await db().cannedResponse.count({
				where: { ownerId: null, body: { contains: '{{requester.firstName}}' } }
			})
		).toBeGreaterThanOrEqual(4);
	});
});

describe('upload limit setting', () => {
	it('admins read and change the limit within 1 MB..2 GB; others may not; changes are audited', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const api = callerOf(admin).settings;
		const before = await getUploadLimitBytes();
		const current = await api.uploadLimit();
		expect(current).toMatchObject({
			maxBytes: before,
			defaultBytes: 100 * 1024 * 1024,
			minBytes: 1024 * 1024,
			maxAllowedBytes: 2 * 1024 ** 3
		});

		try {
			expect(await api.setUploadLimit({ bytes: 250 * 1024 * 1024 })).toEqual({
				maxBytes: 250 * 1024 * 1024
			});
			expect(await getUploadLimitBytes()).toBe(250 * 1024 * 1024);
			for (const bytes of [1024 * 1024 - 1, 2 * 1024 ** 3 + 1, 1.5]) {
				expect(await fieldsOfError(api.setUploadLimit({ bytes }), 'BAD_REQUEST', 'x')).toEqual({
					bytes: ['Choose a limit between 1 MB and 2 GB (2048 MB).']
				});
			}
		} finally {
			await api.setUploadLimit({ bytes: before });
		}
		const audit = await db().auditLog.findFirst({
			where: { actorId: admin.id, action: 'settings.update' },
			orderBy: { id: 'asc' }
		});
		expect(audit?.data).toMatchObject({ key: 'uploads.maxBytes', to: 250 * 1024 * 1024 });

		for (const role of ['IT_MANAGER', 'AGENT'] as const) {
			const other = callerOf(await makeUser({ role })).settings;
			await expectCode(other.uploadLimit(), 'FORBIDDEN');
			await expectCode(other.setUploadLimit({ bytes: 5 * 1024 * 1024 }), 'FORBIDDEN');
		}
	});
});
