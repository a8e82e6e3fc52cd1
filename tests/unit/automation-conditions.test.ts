import { describe, expect, it } from 'vitest';
import { holds, matches, type RuleTicket } from '../../src/lib/server/automation/conditions';
import {
	conditionSchema,
	ruleDraftSchema,
	type Condition
} from '../../src/lib/server/automation/schemas';

const ticket: RuleTicket = {
	status: 'OPEN',
	priority: 'HIGH',
	source: 'EMAIL',
	typeId: '11111111-1111-4111-8111-111111111111',
	categoryId: null,
	groupId: '22222222-2222-4222-8222-222222222222',
	assigneeId: null,
	requesterId: '33333333-3333-4333-8333-333333333333',
	subject: 'VPN drops every hour',
	description: 'Since Monday the VPN client disconnects.',
	requesterEmail: 'Ada@Example.org',
	requesterDepartment: 'Finance',
	tags: ['vpn', 'Network'],
	customFields: { seats: 12, site: 'Berlin', empty: '' }
};
const now = new Date('2026-12-07T10:00:00Z');
const c = (x: Partial<Condition> & { field: Condition['field']; op: string }) =>
	conditionSchema.parse(x);
const test = (x: Parameters<typeof c>[0], e: Partial<Parameters<typeof holds>[2]> = {}) =>
	holds(c(x), ticket, { now, ...e });

describe('rule conditions', () => {
	it('enum and reference fields: in, not in, empty', () => {
		expect(test({ field: 'status', op: 'in', value: ['OPEN', 'NEW'] })).toBe(true);
		expect(test({ field: 'status', op: 'notIn', value: ['OPEN'] })).toBe(false);
		expect(test({ field: 'group', op: 'in', value: [ticket.groupId!] })).toBe(true);
		expect(test({ field: 'assignee', op: 'isEmpty' })).toBe(true);
		expect(test({ field: 'assignee', op: 'notIn', value: [ticket.requesterId] })).toBe(true);
		expect(test({ field: 'assignee', op: 'in', value: [ticket.requesterId] })).toBe(false);
		expect(test({ field: 'type', op: 'isNotEmpty' })).toBe(true);
		expect(test({ field: 'source', op: 'in', value: ['EMAIL'] })).toBe(true);
	});

	it('text ignores case: contains, is, starts and ends with, empty', () => {
		expect(test({ field: 'subject', op: 'contains', value: 'vpn' })).toBe(true);
		expect(test({ field: 'subject', op: 'notContains', value: 'printer' })).toBe(true);
		expect(test({ field: 'subject', op: 'startsWith', value: 'vpn drops' })).toBe(true);
		expect(test({ field: 'subject', op: 'endsWith', value: 'HOUR' })).toBe(true);
		expect(test({ field: 'requesterEmail', op: 'endsWith', value: '@example.org' })).toBe(true);
		expect(test({ field: 'requesterDepartment', op: 'is', value: 'finance' })).toBe(true);
		expect(test({ field: 'requesterDepartment', op: 'isNot', value: 'finance' })).toBe(false);
		expect(test({ field: 'description', op: 'isEmpty' })).toBe(false);
		// "text" covers subject, description and the reply that woke the rule.
		expect(test({ field: 'text', op: 'contains', value: 'disconnects' })).toBe(true);
		expect(
			test(
				{ field: 'text', op: 'contains', value: 'urgent' },
				{ reply: { body: 'URGENT please', author: 'requester', kind: 'public' } }
			)
		).toBe(true);
	});

	it('tags: any, all, none, empty', () => {
		expect(test({ field: 'tags', op: 'includesAny', value: ['network', 'x'] })).toBe(true);
		expect(test({ field: 'tags', op: 'includesAll', value: ['vpn', 'x'] })).toBe(false);
		expect(test({ field: 'tags', op: 'excludes', value: ['printer'] })).toBe(true);
		expect(test({ field: 'tags', op: 'isNotEmpty' })).toBe(true);
	});

	it('custom fields: numbers compare, text matches, empty values are empty', () => {
		expect(test({ field: 'custom', key: 'seats', op: 'gt', value: 10 })).toBe(true);
		expect(test({ field: 'custom', key: 'seats', op: 'lt', value: 10 })).toBe(false);
		expect(test({ field: 'custom', key: 'missing', op: 'gt', value: 0 })).toBe(false);
		expect(test({ field: 'custom', key: 'site', op: 'is', value: 'berlin' })).toBe(true);
		expect(test({ field: 'custom', key: 'empty', op: 'isEmpty' })).toBe(true);
		expect(test({ field: 'custom', key: 'missing', op: 'isEmpty' })).toBe(true);
	});

	it('changes: changed, changed to, changed from (custom fields by key)', () => {
		const changes = {
			priority: { from: 'LOW', to: 'HIGH' },
			'custom.site': { from: 'Paris', to: 'Berlin' }
		};
		expect(test({ field: 'priority', op: 'changed' }, { changes })).toBe(true);
		expect(test({ field: 'priority', op: 'changedTo', value: ['HIGH'] }, { changes })).toBe(true);
		expect(test({ field: 'priority', op: 'changedFrom', value: ['HIGH'] }, { changes })).toBe(
			false
		);
		expect(test({ field: 'status', op: 'changed' }, { changes })).toBe(false);
		expect(test({ field: 'custom', key: 'site', op: 'changed' }, { changes })).toBe(true);
		expect(test({ field: 'priority', op: 'changed' })).toBe(false);
	});

	it('replies: author and kind', () => {
		const reply = { body: 'x', author: 'agent' as const, kind: 'internal' as const };
		expect(test({ field: 'replyAuthor', op: 'in', value: ['agent'] }, { reply })).toBe(true);
		expect(test({ field: 'replyKind', op: 'in', value: ['public'] }, { reply })).toBe(false);
		expect(test({ field: 'replyAuthor', op: 'in', value: ['agent'] })).toBe(false);
	});

	it('time of day: within and outside the window', () => {
		const value = { days: [1], from: '10:00', to: '12:00', timeZone: 'Europe/Berlin' };
		// 10:00 UTC on Monday is 11:00 in Berlin.
		expect(test({ field: 'time', op: 'within', value })).toBe(true);
		expect(test({ field: 'time', op: 'outside', value })).toBe(false);
	});

	it('all, any, and no conditions', () => {
		const yes = c({ field: 'status', op: 'in', value: ['OPEN'] });
		const no = c({ field: 'status', op: 'in', value: ['NEW'] });
		expect(matches({ match: 'all', conditions: [yes, no] }, ticket, { now })).toBe(false);
		expect(matches({ match: 'any', conditions: [yes, no] }, ticket, { now })).toBe(true);
		expect(matches({ match: 'all', conditions: [] }, ticket, { now })).toBe(true);
	});

	it('values are checked per operator', () => {
		const issue = (x: object) => conditionSchema.safeParse(x).error?.issues[0]?.message;
		expect(issue({ field: 'status', op: 'in', value: [] })).toBe('Choose at least one value.');
		expect(issue({ field: 'group', op: 'in', value: ['not-a-uuid'] })).toBe(
			'Choose values from the list.'
		);
		expect(issue({ field: 'subject', op: 'contains', value: '  ' })).toBe('Enter a value.');
		expect(issue({ field: 'custom', op: 'gt', key: 'a', value: 'x' })).toBe('Enter a number.');
		expect(issue({ field: 'custom', op: 'gt', value: 1 })).toBe('Choose a custom field.');
		expect(
			issue({
				field: 'time',
				op: 'within',
				value: { days: [1], from: '12:00', to: '09:00', timeZone: 'UTC' }
			})
		).toBe('The end must be after the start.');
		expect(
			issue({
				field: 'time',
				op: 'within',
				value: { days: [1], from: '09:00', to: '12:00', timeZone: 'Mars/Base' }
			})
		).toBe('Unknown time zone.');
		expect(issue({ field: 'nope', op: 'in' })).toBe('Choose a field.');
	});

	it('rule drafts: time-of-day belongs to event rules, replies to replied rules', () => {
		const base = {
			name: 'x',
			actions: [{ type: 'addTags', tags: ['a'] }],
			timeAnchor: 'created',
			timeMinutes: 60
		};
		const time = ruleDraftSchema.safeParse({
			...base,
			trigger: 'TIME',
			conditions: {
				conditions: [
					{
						field: 'time',
						op: 'within',
						value: { days: [1], from: '09:00', to: '10:00', timeZone: 'UTC' }
					},
					{ field: 'replyKind', op: 'in', value: ['public'] }
				]
			}
		});
		expect(time.error?.issues.map((i) => i.message)).toEqual([
			'Time rules already run on a schedule; use the time settings above.',
			'Only "replied" rules know about a reply.'
		]);
	});
});
