import { z } from 'zod';
import { isStaff } from '$lib/permissions';
import {
	activeConfig,
	createCategory,
	createField,
	createType,
	deleteConfig,
	listTicketConfig,
	reorderConfig,
	setConfigActive,
	updateCategory,
	updateField,
	updateType
} from '../../tickets/config';
import {
	CONFIG_ENTITIES,
	customFieldSchema,
	customFieldUpdateSchema,
	reorderSchema,
	setActiveSchema,
	ticketCategorySchema,
	ticketCategoryUpdateSchema,
	ticketTypeSchema,
	ticketTypeUpdateSchema
} from '../../tickets/config-schemas';
import { actorOf, permitted, router, userOf } from '../init';

const manage = permitted('ticketConfig.manage');

export const ticketConfigRouter = router({
	/** What ticket forms offer; requesters see only the public fields. */
	active: permitted('ticket.read').query(({ ctx }) =>
		activeConfig({ publicOnly: !isStaff(userOf(ctx).role) })
	),
	list: manage.query(() => listTicketConfig()),
	createType: manage
		.input(ticketTypeSchema)
		.mutation(({ input, ctx }) => createType(actorOf(ctx), input)),
	updateType: manage
		.input(ticketTypeUpdateSchema)
		.mutation(({ input, ctx }) => updateType(actorOf(ctx), input)),
	createCategory: manage
		.input(ticketCategorySchema)
		.mutation(({ input, ctx }) => createCategory(actorOf(ctx), input)),
	updateCategory: manage
		.input(ticketCategoryUpdateSchema)
		.mutation(({ input, ctx }) => updateCategory(actorOf(ctx), input)),
	createField: manage
		.input(customFieldSchema)
		.mutation(({ input, ctx }) => createField(actorOf(ctx), input)),
	updateField: manage
		.input(customFieldUpdateSchema)
		.mutation(({ input, ctx }) => updateField(actorOf(ctx), input)),
	setActive: manage
		.input(setActiveSchema)
		.mutation(({ input, ctx }) => setConfigActive(actorOf(ctx), input)),
	reorder: manage
		.input(reorderSchema)
		.mutation(({ input, ctx }) => reorderConfig(actorOf(ctx), input)),
	/** Deletes what no ticket uses; deactivates the rest. */
	delete: manage
		.input(z.object({ entity: z.enum(CONFIG_ENTITIES), id: z.uuid() }))
		.mutation(({ input, ctx }) => deleteConfig(actorOf(ctx), input))
});
