import { z } from 'zod';
import {
	createGroup,
	deleteGroup,
	getGroup,
	listGroups,
	setMembers,
	updateGroup
} from '../../identity/groups';
import { groupSchema } from '../../identity/schemas';
import { actorOf, permitted, router } from '../init';

const id = z.object({ id: z.uuid() });

export const groupsRouter = router({
	list: permitted('group.read').query(() => listGroups()),
	get: permitted('group.read')
		.input(id)
		.query(({ input }) => getGroup(input.id)),
	create: permitted('group.manage')
		.input(groupSchema)
		.mutation(({ input, ctx }) => createGroup(actorOf(ctx), input)),
	update: permitted('group.manage')
		.input(groupSchema.extend({ id: z.uuid() }))
		.mutation(({ input: { id, ...data }, ctx }) => updateGroup(actorOf(ctx), id, data)),
	delete: permitted('group.manage')
		.input(id)
		.mutation(async ({ input, ctx }) => {
			await deleteGroup(actorOf(ctx), input.id);
			return { ok: true };
		}),
	setMembers: permitted('group.manage')
		.input(z.object({ id: z.uuid(), userIds: z.array(z.uuid()).max(500) }))
		.mutation(({ input, ctx }) => setMembers(actorOf(ctx), input.id, input.userIds))
});
