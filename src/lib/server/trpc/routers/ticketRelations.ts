import { z } from 'zod';
import { linkSchema, linkTickets, unlinkSchema, unlinkTickets } from '../../tickets/links';
import { mergeSchema, mergeTickets } from '../../tickets/merge';
import { ticketRefSchema } from '../../tickets/schemas';
import {
	addWatcher,
	listWatchers,
	removeWatcher,
	unwatch,
	watch,
	watcherSchema
} from '../../tickets/watchers';
import { permitted, router } from '../init';
import { scopeOf } from './tickets';

const ref = z.object({ ticket: ticketRefSchema });

/** Between tickets and around them: merges, links and watchers (staff). */
export const ticketRelationsRouter = router({
	merge: permitted('ticket.merge')
		.input(mergeSchema)
		.mutation(async ({ input, ctx }) => mergeTickets(await scopeOf(ctx), input)),
	link: permitted('ticket.update')
		.input(linkSchema)
		.mutation(async ({ input, ctx }) => linkTickets(await scopeOf(ctx), input)),
	unlink: permitted('ticket.update')
		.input(unlinkSchema)
		.mutation(async ({ input, ctx }) => unlinkTickets(await scopeOf(ctx), input)),
	watchers: permitted('ticket.note')
		.input(ref)
		.query(async ({ input, ctx }) => listWatchers(await scopeOf(ctx), input.ticket)),
	/** The caller starts / stops watching. */
	watch: permitted('ticket.note')
		.input(ref)
		.mutation(async ({ input, ctx }) => watch(await scopeOf(ctx), input.ticket)),
	unwatch: permitted('ticket.note')
		.input(ref)
		.mutation(async ({ input, ctx }) => unwatch(await scopeOf(ctx), input.ticket)),
	addWatcher: permitted('ticket.update')
		.input(watcherSchema)
		.mutation(async ({ input, ctx }) => addWatcher(await scopeOf(ctx), input)),
	removeWatcher: permitted('ticket.update')
		.input(watcherSchema)
		.mutation(async ({ input, ctx }) => removeWatcher(await scopeOf(ctx), input))
});
