import { STAFF_ROLES } from '$lib/permissions';
import type { callerFor } from '$lib/server/http/context';
import type { StaffOption } from './team-form';

/**
 * Active staff for the manager picker. `users.list` filters by one role at a time, so this asks
 * once per staff role (up to 100 each) and merges the pages.
 */
export async function listStaff(caller: ReturnType<typeof callerFor>): Promise<StaffOption[]> {
	const pages = await Promise.all(
		STAFF_ROLES.map((role) => caller.users.list({ role, active: true, pageSize: 100 }))
	);
	return pages
		.flatMap((p) => p.items)
		.map(({ id, name, email, role }) => ({ id, name, email, role }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
