import { z } from 'zod';
import { scopeFor, requireTicket } from '../../tickets/access';
import { createTicket } from '../../tickets/create';
import { addEntry } from '../../tickets/entries';
import { ticketFeed } from '../../tickets/feed';
import { countTickets, listTickets } from '../../tickets/list';
import { getTicket, requesterTickets, ticketHistory } from '../../tickets/queries';
import { updateTicket } from '../../tickets/update';
import {
	entryCreateSchema,
	ticketCreateSchema,
	ticketListSchema,
	ticketRefSchema,
	ticketUpdateSchema
} from '../../tickets/schemas';
import { events, publish, startBus } from '../../realtime/bus';
import { isStaff } from '$lib/permissions';
import type { Context } from '../context';
import { permitted, router, userOf } from '../init';

export const viewerOf = (ctx: Context) => {
	const u = userOf(ctx);
	return { id: u.id, role: u.role, name: u.name };
};
export const scopeOf = (ctx: Context) => scopeFor(viewerOf(ctx));
const ref = z.object({ ticket: ticketRefSchema });

export const ticketsRouter = router({
	list: permitted('ticket.read')
		.input(ticketListSchema)
		.query(async ({ input, ctx }) => listTickets(await scopeOf(ctx), input)),
	count: permitted('ticket.read')
		.input(ticketListSchema)
		.query(async ({ input, ctx }) => countTickets(await scopeOf(ctx), input)),
	get: permitted('ticket.read')
		.input(ref)
		.query(async ({ input, ctx }) => getTicket(await scopeOf(ctx), input.ticket)),
	history: permitted('ticket.note')
		.input(ref)
		.query(async ({ input, ctx }) => ticketHistory(await scopeOf(ctx), input.ticket)),
	requesterTickets: permitted('ticket.note')
		.input(z.object({ requesterId: z.uuid(), except: z.uuid().optional() }))
		.query(async ({ input, ctx }) =>
			requesterTickets(await scopeOf(ctx), input.requesterId, input.except)
		),
	create: permitted('ticket.create')
		.input(ticketCreateSchema)
		.mutation(async ({ input, ctx }) => {
			const viewer = viewerOf(ctx);
			const source = isStaff(viewer.role) ? 'AGENT' : 'PORTAL';
			const { ticket } = await createTicket({ viewer, ip: ctx.ip }, input, { source });
			return ticket;
		}),
	update: permitted('ticket.update')
		.input(ticketUpdateSchema)
		.mutation(async ({ input, ctx }) => updateTicket(await scopeOf(ctx), input)),
	/** A public reply (anyone who sees the ticket) or an internal note (staff). */
	addEntry: permitted('ticket.reply')
		.input(entryCreateSchema)
		.mutation(async ({ input, ctx }) => addEntry({ scope: await scopeOf(ctx) }, input)),
	/** Staff on a ticket page announce themselves every few seconds (collision indicator). */
	presence: permitted('ticket.note')
		.input(z.object({ ticket: ticketRefSchema, state: z.enum(['viewing', 'replying', 'left']) }))
		.mutation(async ({ input, ctx }) => {
			const viewer = viewerOf(ctx);
			const t = await requireTicket(await scopeFor(viewer), input.ticket);
			await publish({
				type: 'TicketPresence',
				ticketId: t.id,
				user: { id: viewer.id, name: viewer.name },
				state: input.state
			});
			return { ok: true };
		}),
	/** Live: created / updated / new-entry events for tickets the caller may see. */
	changes: permitted('ticket.read')
		.input(z.object({ ticket: ticketRefSchema.optional() }).optional())
		.subscription(async function* ({ input, ctx, signal }) {
			const viewer = viewerOf(ctx);
			const stream = events(signal);
			await startBus();
			const ticketId = input?.ticket
				? (await requireTicket(await scopeFor(viewer), input.ticket)).id
				: undefined;
			yield* ticketFeed(viewer, stream, ticketId);
		})
});
