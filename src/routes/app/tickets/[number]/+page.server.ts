import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { callerFor } from '$lib/server/http/context';
import type { PageServerLoad } from './$types';

/**
 * The agent ticket page, server-rendered: the ticket with its conversation, history, the
 * requester's other tickets and what the properties panel offers. A ticket the agent may not see
 * is a 404, exactly like a missing one.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('app:ticket');
	if (!/^\d{1,9}$/.test(event.params.number)) error(404, 'Ticket not found');
	const number = Number(event.params.number);
	const caller = callerFor(event);
	let ticket;
	try {
		ticket = await caller.tickets.get({ ticket: number });
	} catch (err) {
		if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST'))
			error(404, 'Ticket not found');
		throw err;
	}
	const [history, requesterTickets, groups, agents, config] = await Promise.all([
		caller.tickets.history({ ticket: ticket.id }),
		caller.tickets.requesterTickets({ requesterId: ticket.requester.id, except: ticket.id }),
		caller.groups.list(),
		caller.users.list({ staff: true, active: true, pageSize: 100 }),
		caller.ticketConfig.active()
	]);
	return {
		ticket,
		history,
		requesterTickets,
		groups: groups.map((g) => ({ id: g.id, name: g.name })),
		agents: agents.items.map((a) => ({ id: a.id, name: a.name, email: a.email })),
		config
	};
};
