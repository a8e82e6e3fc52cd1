import { z } from 'zod';
import {
	cannedForTicket,
	cannedListSchema,
	cannedSchema,
	cannedUpdateSchema,
	createCanned,
	deleteCanned,
	listCanned,
	updateCanned
} from '../../tickets/canned';
import { ticketRefSchema } from '../../tickets/schemas';
import type { Context } from '../context';
import { permitted, router, userOf } from '../init';
import { scopeOf } from './tickets';

/** Staff use canned responses; sharing with everyone is checked in the domain. */
const staff = permitted('ticket.note');
const actor = (ctx: Context) => {
	const u = userOf(ctx);
	return { id: u.id, role: u.role, ip: ctx.ip };
};

export const cannedResponsesRouter = router({
	list: staff.input(cannedListSchema).query(({ input, ctx }) => listCanned(actor(ctx), input)),
	create: staff.input(cannedSchema).mutation(({ input, ctx }) => createCanned(actor(ctx), input)),
	update: staff
		.input(cannedUpdateSchema)
		.mutation(({ input, ctx }) => updateCanned(actor(ctx), input)),
	delete: staff.input(z.object({ id: z.uuid() })).mutation(async ({ input, ctx }) => {
		await deleteCanned(actor(ctx), input.id);
		return { ok: true };
	}),
	/** The response filled in for one ticket ({{requester.firstName}}, …). */
	render: staff
		.input(z.object({ ticket: ticketRefSchema, id: z.uuid() }))
		.query(async ({ input, ctx }) => cannedForTicket(await scopeOf(ctx), input.ticket, input.id))
});
