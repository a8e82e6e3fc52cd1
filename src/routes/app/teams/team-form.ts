import type { RoleName } from '$lib/permissions';

/** A staff member offered as a team manager. */
export interface StaffOption {
	id: string;
	name: string;
	email: string;
	/** Null for a current manager who is no longer active staff. */
	role: RoleName | null;
}

/** The editable fields of a team, as the form holds them (empty strings for "none"). */
export interface TeamForm {
	name: string;
	description: string;
	email: string;
	managerId: string;
}

export const blankTeam = (): TeamForm => ({ name: '', description: '', email: '', managerId: '' });

/** The groups.create / groups.update input for a form. */
export function teamInput(form: TeamForm) {
	return {
		name: form.name,
		description: form.description.trim() || null,
		email: form.email.trim() || null,
		managerId: form.managerId || null
	};
}
