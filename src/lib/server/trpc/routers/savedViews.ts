import { z } from 'zod';
import {
	builtInViews,
	createView,
	deleteView,
	listViews,
	reorderViews,
	updateView,
	viewCounts,
	viewCreateSchema,
	viewReorderSchema,
	viewUpdateSchema
} from '../../tickets/views';
import { permitted, router } from '../init';
import { scopeOf, viewerOf } from './tickets';

/** Saved ticket list views (the agent workspace); sharing needs `view.manageShared`. */
export const savedViewsRouter = router({
	/** Built-in views (computed) and saved ones: the caller's own, then shared ones. */
	list: permitted('staff.use').query(async ({ ctx }) => ({
		builtIn: builtInViews(),
		views: await listViews(viewerOf(ctx))
	})),
	counts: permitted('staff.use').query(async ({ ctx }) => viewCounts(await scopeOf(ctx))),
	create: permitted('staff.use')
		.input(viewCreateSchema)
		.mutation(({ input, ctx }) => createView(viewerOf(ctx), input)),
	update: permitted('staff.use')
		.input(viewUpdateSchema)
		.mutation(({ input, ctx }) => updateView(viewerOf(ctx), input)),
	delete: permitted('staff.use')
		.input(z.object({ id: z.uuid() }))
		.mutation(async ({ input, ctx }) => {
			await deleteView(viewerOf(ctx), input.id);
			return { ok: true };
		}),
	reorder: permitted('staff.use')
		.input(viewReorderSchema)
		.mutation(({ input, ctx }) => reorderViews(viewerOf(ctx), input))
});
