import type { RoleName } from '$lib/permissions';

/** A team member as the page shows it. */
export interface Member {
	id: string;
	name: string;
	email: string;
	role: RoleName;
	active: boolean;
}
