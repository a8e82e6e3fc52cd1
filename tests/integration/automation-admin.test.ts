import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { useOwnDatabase } from '../helpers/database';
import { auditOf, callerAs, makeGroup, makeUser } from '../helpers/factories';
import { makeTicket } from '../helpers/tickets';
import { errorShape, expectCode } from '../helpers/trpc';
import { clearRules, forgetRuleAdmin } from '../helpers/automation';

let restore: () => Promise<void>;
beforeAll(async () => {
	({ restore } = await useOwnDatabase());
	forgetRuleAdmin();
});
afterAll(() => restore());
beforeEach(() => clearRules());

async function manager() {
	const user = await makeUser({ role: 'IT_MANAGER' });
	return { user, api: callerAs(user).automation };
}

const valid = (extra: Record<string, unknown> = {}) => ({
	name: `Rule ${Math.random().toString(36).slice(2, 8)}`,
	trigger: 'CREATED',
	conditions: { match: 'all', conditions: [{ field: 'subject', op: 'contains', value: 'vpn' }] },
	actions: [{ type: 'addTags', tags: ['vpn'] }],
	...extra
});

async function fieldsOf(promise: Promise<unknown>) {
	const err = await expectCode(promise, 'BAD_REQUEST');
	return errorShape(err, 'automation.create').data.fields ?? {};
}

describe('automation admin', () => {
	it('IT managers and admins manage rules; agents and end users may not', async () => {
		const { api, user } = await manager();
		const rule = await api.create(valid({ name: 'VPN tag' }));
		expect((await auditOf(rule.id)).map((a) => a.action)).toEqual(['automation.create']);
		const admin = callerAs(await makeUser({ role: 'ADMIN' })).automation;
		expect((await admin.list()).map((r) => r.name)).toEqual(['VPN tag']);
		for (const role of ['AGENT', 'END_USER'] as const) {
			const other = callerAs(await makeUser({ role })).automation;
			await expectCode(other.list(), 'FORBIDDEN');
			await expectCode(other.create(valid()), 'FORBIDDEN');
		}
		expect(user.role).toBe('IT_MANAGER');
	});

	it('says what is wrong, field by field, and writes nothing', async () => {
		const { api } = await manager();
		const group = await makeGroup();
		expect(await fieldsOf(api.create({ trigger: 'CREATED' }))).toMatchObject({
			name: ['Name is required.'],
			actions: ['Add at least one action.']
		});
		expect(
			await fieldsOf(api.create(valid({ actions: [{ type: 'webhook', url: 'ftp://x' }] })))
		).toEqual({ 'actions.0.url': ['Enter an http:// or https:// URL.'] });
		expect(
			await fieldsOf(
				api.create(
					valid({
						conditions: {
							match: 'all',
							conditions: [
								{ field: 'status', op: 'contains', value: 'x' },
								{ field: 'priority', op: 'in', value: ['URGENT'] },
								{ field: 'subject', op: 'changed' }
							]
						}
					})
				)
			)
		).toEqual({
			'conditions.conditions.0.op': ['"contains" does not apply to status.'],
			'conditions.conditions.1.value': ['"URGENT" is not a priority value.'],
			'conditions.conditions.2.op': ['Only "updated" rules can look at changes.']
		});
		expect(await fieldsOf(api.create(valid({ trigger: 'TIME' })))).toEqual({
			timeAnchor: ['Choose what the time counts from.'],
			timeMinutes: ['Enter after how long the rule acts.']
		});
		await db().group.delete({ where: { id: group.id } });
		expect(
			await fieldsOf(
				api.create(
					valid({
						actions: [
							{ type: 'assignGroup', groupId: group.id },
							{ type: 'set', field: 'status', value: 'DONE' },
							{ type: 'setCustomField', key: 'nope', value: 1 }
						]
					})
				)
			)
		).toEqual({
			'actions.0.groupId': ['This group does not exist (any more).'],
			'actions.1.value': ['Choose a status.'],
			'actions.2.key': ['There is no custom field "nope".']
		});
		await api.create(valid({ name: 'Taken' }));
		expect(await fieldsOf(api.create(valid({ name: 'taken' })))).toEqual({
			name: ['Another rule has this name.']
		});
		expect(await db().automationRule.count()).toBe(1);
	});

	it('orders, enables, updates, rotates the secret and deletes', async () => {
		const { api } = await manager();
		const a = await api.create(valid({ name: 'A' }));
		const b = await api.create(valid({ name: 'B' }));
		const c = await api.create(valid({ name: 'C', trigger: 'UPDATED' }));
		await api.reorder({ trigger: 'CREATED', ids: [b.id, a.id] });
		const list = await api.list();
		expect(list.map((r) => [r.name, r.position])).toEqual([
			['B', 0],
			['A', 1],
			['C', 0]
		]);
		expect(list[0]).not.toHaveProperty('secret');
		// A stale order (a rule missing or foreign) is refused.
		await expectCode(api.reorder({ trigger: 'CREATED', ids: [a.id] }), 'CONFLICT');
		await expectCode(api.reorder({ trigger: 'CREATED', ids: [a.id, c.id] }), 'CONFLICT');

		await api.setActive({ id: a.id, active: false });
		const before = (await api.get({ id: a.id })).rule;
		expect(before.active).toBe(false);
		await api.rotateSecret({ id: a.id });
		expect((await api.get({ id: a.id })).rule.secret).not.toBe(before.secret);

		// Moving a rule to another trigger puts it last there.
		await api.update({ id: a.id, draft: valid({ name: 'A2', trigger: 'UPDATED' }) });
		const moved = (await api.get({ id: a.id })).rule;
		expect(moved).toMatchObject({ name: 'A2', trigger: 'UPDATED', position: 1 });

		await api.delete({ id: b.id });
		await expectCode(api.get({ id: b.id }), 'NOT_FOUND');
		await expectCode(api.delete({ id: b.id }), 'NOT_FOUND');
		await expectCode(api.setActive({ id: b.id, active: true }), 'NOT_FOUND');
		await expectCode(api.update({ id: b.id, draft: valid() }), 'NOT_FOUND');
	});

	it('previews which recent tickets would match, runs and stats after the fact', async () => {
		const { api, user } = await manager();
		const word = `zebra${Math.random().toString(36).slice(2, 6)}`;
		const hit = await makeTicket(user, { subject: `The ${word} printer` });
		await makeTicket(user, { subject: 'Something else' });
		const draft = valid({
			conditions: { match: 'all', conditions: [{ field: 'subject', op: 'contains', value: word }] },
			actions: [{ type: 'addTags', tags: ['zebra'] }]
		});
		const preview = await api.preview(draft);
		expect(preview.matched).toBe(1);
		expect(preview.tickets.map((t) => t.number)).toEqual([hit.number]);
		expect(preview.assumed).toEqual([]);

		// Event-only conditions cannot be known for past tickets: assumed, and said so.
		const changed = await api.preview(
			valid({
				trigger: 'UPDATED',
				conditions: {
					match: 'all',
					conditions: [
						{ field: 'subject', op: 'contains', value: word },
						{ field: 'priority', op: 'changedTo', value: ['HIGH'] }
					]
				}
			})
		);
		expect(changed).toMatchObject({ matched: 1, assumed: ['priority'] });

		// Time rules: only tickets whose time has come.
		const timed = await api.preview(
			valid({ ...draft, trigger: 'TIME', timeAnchor: 'created', timeMinutes: 60 })
		);
		expect(timed.matched).toBe(0);

		const rule = await api.create(draft);
		await makeTicket(user, { subject: `Another ${word}` });
		const [row] = await api.list();
		expect(row).toMatchObject({ runs7d: 1, failed7d: 0 });
		expect(row!.lastRunAt).toBeInstanceOf(Date);
		const detail = await api.get({ id: rule.id });
		expect(detail.runs).toHaveLength(1);
		expect(detail.runs[0]).toMatchObject({ outcome: 'done', summary: 'tags → zebra' });
		expect(detail.deliveries).toEqual([]);

		const options = await api.options();
		expect(options.agents.some((a) => a.id === user.id)).toBe(true);
		await expectCode(api.redeliver({ id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');
	});
});

describe('demo automation', () => {
	it('every demo rule is a valid rule the editor can open and save unchanged', async () => {
		const { seedDemoAutomation } = await import('../../src/lib/server/db/seed-automation');
		const { ruleDraftSchema } = await import('../../src/lib/server/automation/schemas');
		const { api, user } = await manager();
		await makeGroup({ name: 'Network' }).catch(() => undefined);
		await db().$transaction((tx) => seedDemoAutomation(tx, user.id));
		const rules = await api.list();
		expect(rules.map((r) => r.trigger)).toEqual([
			'CREATED',
			'CREATED',
			'REPLIED',
			'TIME',
			'TIME',
			'TIME'
		]);
		for (const r of rules) {
			const { rule } = await api.get({ id: r.id });
			const draft = { ...rule, conditions: rule.conditions, actions: rule.actions };
			expect(ruleDraftSchema.safeParse(draft).error?.issues ?? []).toEqual([]);
			await api.update({ id: r.id, draft });
		}
	});
});
