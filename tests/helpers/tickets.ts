import { randomUUID } from 'node:crypto';
import { db } from '../../src/lib/server/db/client';
import { scopeFor } from '../../src/lib/server/tickets/access';
import { createTicket } from '../../src/lib/server/tickets/create';
import type { TicketCreateInput } from '../../src/lib/server/tickets/schemas';
import { makeGroup, type TestUser } from './factories';

export const viewerOf = (u: TestUser) => ({ id: u.id, role: u.role, name: u.name });
export const scopeOf = (u: TestUser) => scopeFor(viewerOf(u));

/** A ticket opened by `by` (staff: any fields; end user: for themselves). */
export async function makeTicket(by: TestUser, input: Partial<TicketCreateInput> = {}) {
	const { ticket } = await createTicket(
		{ viewer: viewerOf(by) },
		{ subject: `Ticket ${randomUUID().slice(0, 8)}`, description: 'Something broke.', ...input },
		{ source: 'AGENT' }
	);
	return ticket;
}

/** A group with the given members and assignment mode. */
export async function makeTeam(
	members: TestUser[],
	assignment: 'MANUAL' | 'ROUND_ROBIN' | 'LOAD_BALANCED' = 'MANUAL'
) {
	const group = await makeGroup();
	await db().group.update({
		where: { id: group.id },
		data: { assignment, members: { create: members.map((m) => ({ userId: m.id })) } }
	});
	return group;
}
