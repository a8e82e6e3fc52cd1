import type { callerFor } from '$lib/server/http/context';
import type { StaffOption } from './team-form';

/** Active staff for the manager picker (first 100 by name). */
export async function listStaff(caller: ReturnType<typeof callerFor>): Promise<StaffOption[]> {
	const page = await caller.users.list({ staff: true, active: true, pageSize: 100 });
	return page.items.map(({ id, name, email, role }) => ({ id, name, email, role }));
}
