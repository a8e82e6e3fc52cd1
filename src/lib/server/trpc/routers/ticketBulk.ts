import { z } from 'zod';
import { bulkUpdate, bulkUpdateSchema, MAX_BULK, ticketRows } from '../../tickets/bulk';
import { permitted, router } from '../init';
import { scopeOf } from './tickets';

/** Bulk actions from the ticket list: each ticket is changed as if edited on its own. */
export const ticketBulkRouter = router({
	update: permitted('ticket.update')
		.input(bulkUpdateSchema)
		.mutation(async ({ input, ctx }) => bulkUpdate(await scopeOf(ctx), input)),
	/** Fresh list rows (with versions) for tickets the list shows or acts on. */
	rows: permitted('staff.use')
		.input(z.object({ ids: z.array(z.uuid()).min(1).max(MAX_BULK) }))
		.query(async ({ input, ctx }) => ticketRows(await scopeOf(ctx), input.ids))
});
