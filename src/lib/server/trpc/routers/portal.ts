import { z } from 'zod';
import { createTicket } from '../../tickets/create';
import { csatSchema, rate, reopen } from '../../tickets/csat';
import { addEntry } from '../../tickets/entries';
import {
	myTickets,
	myTicketsSchema,
	portalCreateSchema,
	requesterReplySchema,
	requesterScope,
	requesterTicket
} from '../../tickets/requester';
import { ticketRefSchema } from '../../tickets/schemas';
import type { Context } from '../context';
import { permitted, router, userOf } from '../init';

/**
 * The End User's self-service tickets: only tickets they requested, only public replies. Every
 * procedure works on "my" tickets (requesterId = me) whatever else the caller's role could see.
 */
const viewerOf = (ctx: Context) => {
	const u = userOf(ctx);
	return { id: u.id, role: u.role, name: u.name };
};
const scopeOf = (ctx: Context) => requesterScope(viewerOf(ctx));
const ref = z.object({ ticket: ticketRefSchema });

export const portalRouter = router({
	myTickets: permitted('ticket.read')
		.input(myTicketsSchema)
		.query(async ({ input, ctx }) => myTickets(viewerOf(ctx), input)),
	get: permitted('ticket.read')
		.input(ref)
		.query(async ({ input, ctx }) => requesterTicket(await scopeOf(ctx), input.ticket)),
	create: permitted('ticket.create')
		.input(portalCreateSchema)
		.mutation(async ({ input, ctx }) => {
			const { ticket } = await createTicket({ viewer: viewerOf(ctx), ip: ctx.ip }, input, {
				source: 'PORTAL'
			});
			return { number: ticket.number };
		}),
	reply: permitted('ticket.reply')
		.input(ref.extend(requesterReplySchema.shape))
		.mutation(async ({ input, ctx }) =>
			addEntry({ scope: await scopeOf(ctx), source: 'PORTAL' }, { ...input, kind: 'REPLY' })
		),
	reopen: permitted('ticket.reply')
		.input(ref)
		.mutation(async ({ input, ctx }) =>
			reopen({ scope: await scopeOf(ctx), ticket: input.ticket })
		),
	rate: permitted('ticket.reply')
		.input(ref.extend(csatSchema.shape))
		.mutation(async ({ input, ctx }) =>
			rate({ scope: await scopeOf(ctx), ticket: input.ticket }, input)
		)
});
