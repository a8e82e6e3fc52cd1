import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { auditOf, callerAs, makeGroup, makeUser } from '../helpers/factories';
import { makeTicket } from '../helpers/tickets';
import { errorShape, expectCode } from '../helpers/trpc';
import { useOwnDatabase } from '../helpers/database';

// Policies are global (a default one matches every ticket): this file works in a database of its
// own, so test files running in parallel never see its policies.
let restore: () => Promise<void>;
beforeAll(async () => {
	({ restore } = await useOwnDatabase());
});
afterAll(() => restore());

const uid = () => randomUUID().slice(0, 8);
const WEEKDAY = [{ start: '09:00', end: '17:00' }];
const TARGETS = {
	LOW: { firstResponse: 480, resolution: 4320 },
	MEDIUM: { firstResponse: 240, resolution: 1440 },
	HIGH: { firstResponse: 60, resolution: 480 },
	CRITICAL: { firstResponse: 15, resolution: 240 }
};

async function admin() {
	return callerAs(await makeUser({ role: 'ADMIN' })).sla;
}

async function calendar(api: Awaited<ReturnType<typeof admin>>) {
	return api.calendars.create({
		name: `Office ${uid()}`,
		timeZone: 'Europe/Berlin',
		alwaysOpen: false,
		hours: [WEEKDAY, WEEKDAY, WEEKDAY, WEEKDAY, WEEKDAY, [], []],
		holidays: [{ date: '2026-12-25', yearly: true, name: 'Christmas' }]
	});
}

/** A conditional policy (never the default, so parallel tests keep their own matching). */
function draft(calendarId: string, groupId: string, extra: Record<string, unknown> = {}) {
	return {
		name: `Policy ${uid()}`,
		calendarId,
		conditions: { groupIds: [groupId] },
		targets: TARGETS,
		warnPercent: 80,
		escalations: [
			{ metric: 'RESOLUTION', percent: 100, actions: { notify: ['groupManager'] } },
			{ metric: 'FIRST_RESPONSE', afterBreachMinutes: 30, actions: { raisePriority: true } }
		],
		...extra
	};
}

async function fieldsOf(promise: Promise<unknown>, path: string) {
	const err = await expectCode(promise, 'BAD_REQUEST');
	return errorShape(err, path).data.fields ?? {};
}

describe('business calendars', () => {
	it('an admin creates a calendar; bad hours and time zones are reported per field', async () => {
		const api = await admin();
		const cal = await calendar(api);
		expect((await api.calendars.list()).find((c) => c.id === cal.id)).toMatchObject({
			timeZone: 'Europe/Berlin',
			holidays: [{ date: '2026-12-25', yearly: true, name: 'Christmas' }]
		});
		expect((await auditOf(cal.id)).map((a) => a.action)).toEqual(['slaCalendar.create']);

		const fields = await fieldsOf(
			api.calendars.create({
				name: ' ',
				timeZone: 'Mars/Olympus',
				alwaysOpen: false,
				hours: [[{ start: '10:00', end: '09:00' }], [], [], [], [], [], []],
				holidays: []
			}),
			'sla.calendars.create'
		);
		expect(fields.name).toEqual(['Name is required.']);
		expect(fields.timeZone?.[0]).toContain('Unknown time zone');
		expect(Object.keys(fields).some((k) => k.startsWith('hours.0.0'))).toBe(true);
	});

	it('renames a calendar, refuses a taken name and offers German public holidays', async () => {
		const api = await admin();
		const a = await calendar(api);
		const b = await calendar(api);
		const base = { timeZone: 'UTC', alwaysOpen: true, hours: [[], [], [], [], [], [], []] };
		const renamed = await api.calendars.update({
			id: a.id,
			draft: { ...base, name: `${a.name} 2` }
		});
		expect(renamed.name).toBe(`${a.name} 2`);
		const err = await expectCode(
			api.calendars.update({ id: b.id, draft: { ...base, name: `${a.name} 2` } }),
			'CONFLICT'
		);
		expect(errorShape(err, 'sla.calendars.update').data.fields).toEqual({
			name: ['A calendar with this name already exists.']
		});
		await expectCode(
			api.calendars.update({ id: randomUUID(), draft: { ...base, name: `x ${uid()}` } }),
			'NOT_FOUND'
		);
		const holidays = await api.calendars.germanHolidays({ fromYear: 2026, toYear: 2026 });
		expect(holidays).toContainEqual({ date: '2026-04-06', yearly: false, name: 'Ostermontag' });
	});

	it('a calendar in use by a policy cannot be deleted; an unused one can', async () => {
		const api = await admin();
		const cal = await calendar(api);
		const policy = await api.policies.create(draft(cal.id, (await makeGroup()).id));
		const err = await expectCode(api.calendars.delete({ id: cal.id }), 'CONFLICT');
		expect(err.message).toContain(`is used by “${policy!.name}”`);

		await api.policies.delete({ id: policy!.id });
		await api.calendars.delete({ id: cal.id });
		expect(await db().businessCalendar.count({ where: { id: cal.id } })).toBe(0);
	});
});

describe('SLA policies', () => {
	it('an IT manager creates a policy with escalation levels and replaces them on update', async () => {
		const api = callerAs(await makeUser({ role: 'IT_MANAGER' })).sla;
		const cal = await calendar(api);
		const group = await makeGroup();
		const created = await api.policies.create(draft(cal.id, group.id));
		expect(created).toMatchObject({
			isDefault: false,
			active: true,
			warnPercent: 80,
			conditions: { groupIds: [group.id] },
			calendar: { name: cal.name }
		});
		expect(created!.escalations.map((e) => [e.metric, e.percent, e.afterBreachMinutes])).toEqual([
			['RESOLUTION', 100, null],
			['FIRST_RESPONSE', null, 30]
		]);

		const kept = created!.escalations[0]!;
		const updated = await api.policies.update({
			id: created!.id,
			draft: draft(cal.id, group.id, {
				name: created!.name,
				escalations: [
					{ id: kept.id, metric: 'RESOLUTION', percent: 90, actions: { setPriority: 'HIGH' } }
				]
			})
		});
		expect(updated!.escalations).toEqual([
			{
				id: kept.id,
				metric: 'RESOLUTION',
				percent: 90,
				afterBreachMinutes: null,
				actions: { setPriority: 'HIGH' }
			}
		]);
		expect((await auditOf(created!.id)).map((a) => a.action)).toEqual([
			'slaPolicy.create',
			'slaPolicy.update'
		]);
	});

	it('reports each bad field by its path and writes nothing', async () => {
		const api = await admin();
		const cal = await calendar(api);
		const name = `Broken ${uid()}`;
		const fields = await fieldsOf(
			api.policies.create({
				name,
				calendarId: cal.id,
				targets: {
					...TARGETS,
					HIGH: { firstResponse: 600, resolution: 480 },
					LOW: { firstResponse: 0, resolution: 10 }
				},
				warnPercent: 100,
				escalations: [
					{ metric: 'RESOLUTION', percent: 50, afterBreachMinutes: 10, actions: { notify: [] } }
				]
			}),
			'sla.policies.create'
		);
		expect(fields['targets.HIGH.firstResponse']).toEqual([
			'High: first response cannot be longer than resolution.'
		]);
		expect(fields['targets.LOW.firstResponse']).toEqual([
			'Low first response must be at least 1 minutes.'
		]);
		expect(fields.warnPercent).toEqual(['Warn at must be at most 99%.']);
		expect(fields['escalations.0.percent']).toEqual([
			'Give either a percent of the target or minutes after the breach, not both.'
		]);
		expect(fields['escalations.0.actions']).toEqual(['Choose at least one action.']);
		expect(await db().slaPolicy.count({ where: { name } })).toBe(0);
	});

	it('refuses groups, types and calendars that do not exist, and writes nothing', async () => {
		const api = await admin();
		const cal = await calendar(api);
		const name = `Ghost ${uid()}`;
		const fields = await fieldsOf(
			api.policies.create({
				...draft(cal.id, randomUUID(), { name }),
				escalations: [
					{ metric: 'RESOLUTION', percent: 100, actions: { assignGroupId: randomUUID() } }
				]
			}),
			'sla.policies.create'
		);
		expect(fields['conditions.groupIds']).toEqual(['Some of these groups no longer exist.']);
		expect(fields['escalations.0.actions']).toEqual(['The group to assign no longer exists.']);
		expect(await db().slaPolicy.count({ where: { name } })).toBe(0);

		const noCal = await fieldsOf(
			api.policies.create(draft(randomUUID(), (await makeGroup()).id)),
			'sla.policies.create'
		);
		expect(noCal.calendarId).toEqual(['That calendar no longer exists.']);
	});

	it('there is one default: making one default unsets the other; it cannot be deleted or deactivated', async () => {
		const api = await admin();
		const cal = await calendar(api);
		const before = await db().slaPolicy.findMany({ where: { isDefault: true } });
		const a = await api.policies.create(draft(cal.id, (await makeGroup()).id));
		const b = await api.policies.create(draft(cal.id, (await makeGroup()).id));
		try {
			const made = await api.policies.makeDefault({ id: a!.id });
			expect(made).toMatchObject({ isDefault: true, conditions: {} });
			await api.policies.makeDefault({ id: b!.id });
			const defaults = await db().slaPolicy.findMany({ where: { isDefault: true } });
			expect(defaults.map((d) => d.id)).toEqual([b!.id]);

			const del = await expectCode(api.policies.delete({ id: b!.id }), 'BAD_REQUEST');
			expect(del.message).toContain('The default policy cannot be deleted');
			const off = await expectCode(
				api.policies.setActive({ id: b!.id, active: false }),
				'BAD_REQUEST'
			);
			expect(off.message).toBe('The default policy cannot be deactivated.');
			const unset = await fieldsOf(
				api.policies.update({
					id: b!.id,
					draft: draft(cal.id, (await makeGroup()).id, { name: b!.name, isDefault: false })
				}),
				'sla.policies.update'
			);
			expect(unset.isDefault?.[0]).toContain('make another policy the default');

			await api.policies.delete({ id: a!.id });
			expect(await db().slaPolicy.count({ where: { id: a!.id } })).toBe(0);
		} finally {
			await db().slaPolicy.deleteMany({ where: { id: { in: [a!.id, b!.id] } } });
			expect(before).toEqual([]);
		}
	});

	it('reorders policies and deactivates a conditional one', async () => {
		const api = await admin();
		const cal = await calendar(api);
		const a = await api.policies.create(draft(cal.id, (await makeGroup()).id));
		const b = await api.policies.create(draft(cal.id, (await makeGroup()).id));
		await api.policies.reorder({ ids: [b!.id, a!.id] });
		const rows = await db().slaPolicy.findMany({
			where: { id: { in: [a!.id, b!.id] } },
			orderBy: { position: 'asc' }
		});
		expect(rows.map((r) => r.id)).toEqual([b!.id, a!.id]);
		await expectCode(api.policies.reorder({ ids: [a!.id, randomUUID()] }), 'NOT_FOUND');

		expect(await api.policies.setActive({ id: a!.id, active: false })).toMatchObject({
			active: false
		});
		expect(await api.policies.setActive({ id: a!.id, active: true })).toMatchObject({
			active: true
		});
		const taken = await expectCode(
			api.policies.create(draft(cal.id, (await makeGroup()).id, { name: a!.name })),
			'CONFLICT'
		);
		expect(errorShape(taken, 'sla.policies.create').data.fields).toEqual({
			name: ['A policy with this name already exists.']
		});
		await expectCode(api.policies.delete({ id: randomUUID() }), 'NOT_FOUND');
	});

	it('previews which recent tickets a draft would take', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const api = callerAs(admin).sla;
		const group = await makeGroup();
		const inGroup = await makeTicket(admin, { groupId: group.id });
		const other = await makeTicket(admin);
		const preview = await api.policies.preview({ conditions: { groupIds: [group.id] } });
		expect(preview.find((t) => t.id === inGroup.id)?.matches).toBe(true);
		expect(preview.find((t) => t.id === other.id)?.matches).toBe(false);
	});

	it('agents and end users may not manage SLA', async () => {
		for (const role of ['AGENT', 'END_USER'] as const) {
			const api = callerAs(await makeUser({ role })).sla;
			await expectCode(api.policies.list(), 'FORBIDDEN');
			await expectCode(api.calendars.list(), 'FORBIDDEN');
			await expectCode(
				api.calendars.create({ name: 'x', timeZone: 'UTC', alwaysOpen: true }),
				'FORBIDDEN'
			);
			await expectCode(api.policies.reorder({ ids: [randomUUID()] }), 'FORBIDDEN');
		}
	});
});
