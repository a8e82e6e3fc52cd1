import { describe, expect, it } from 'vitest';
import {
	can,
	homeFor,
	isStaff,
	PERMISSIONS,
	ROLE_PERMISSIONS,
	ROLES,
	STAFF_ROLES
} from '../../src/lib/permissions';

describe('the permission registry', () => {
	it('every role maps only to registered permissions', () => {
		for (const role of ROLES) {
			for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
		}
	});

	it('an admin holds every permission except using the end-user portal', () => {
		for (const p of PERMISSIONS) expect(can('ADMIN', p)).toBe(p !== 'portal.use');
	});

	it('a requester (emails in, never signs in) holds nothing', () => {
		expect(ROLE_PERMISSIONS.REQUESTER.size).toBe(0);
	});

	it('managers manage groups and see health, agents do neither; neither administers users', () => {
		expect(can('IT_MANAGER', 'group.manage')).toBe(true);
		expect(can('IT_MANAGER', 'system.health')).toBe(true);
		expect(can('AGENT', 'group.manage')).toBe(false);
		expect(can('AGENT', 'system.health')).toBe(false);
		for (const role of ['IT_MANAGER', 'AGENT'] as const) {
			for (const p of [
				'user.create',
				'user.update',
				'user.changeRole',
				'user.deactivate',
				'apiKey.manage',
				'audit.read'
			] as const) {
				expect(can(role, p), `${role} ${p}`).toBe(false);
			}
		}
	});

	it('end users use the portal and read their own notifications, nothing of staff', () => {
		expect(can('END_USER', 'portal.use')).toBe(true);
		expect(can('END_USER', 'notification.read')).toBe(true);
		expect(can('END_USER', 'staff.use')).toBe(false);
		expect(can('END_USER', 'user.read')).toBe(false);
	});

	it('nobody without a role can do anything', () => {
		for (const p of PERMISSIONS) {
			expect(can(null, p)).toBe(false);
			expect(can(undefined, p)).toBe(false);
		}
	});

	it('staff roles are exactly those with staff.use, and each role has a home', () => {
		expect(ROLES.filter((r) => isStaff(r))).toEqual([...STAFF_ROLES]);
		expect(isStaff(null)).toBe(false);
		expect(STAFF_ROLES.map(homeFor)).toEqual(['/app', '/app', '/app']);
		expect(homeFor('END_USER')).toBe('/portal');
		expect(homeFor('REQUESTER')).toBe('/login');
	});
});
