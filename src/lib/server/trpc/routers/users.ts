import { z } from 'zod';
import {
	changeRole,
	createUser,
	getUser,
	listUsers,
	setActive,
	setPassword,
	updateUser
} from '../../identity/users';
import {
	createUserSchema,
	listUsersSchema,
	passwordSchema,
	roleSchema,
	updateUserSchema
} from '../../identity/schemas';
import { events } from '../../realtime/bus';
import { setUserGroups } from '../../identity/groups';
import { actorOf, permitted, router } from '../init';

export const usersRouter = router({
	list: permitted('user.read')
		.input(listUsersSchema)
		.query(({ input }) => listUsers(input)),
	get: permitted('user.read')
		.input(z.object({ id: z.uuid() }))
		.query(({ input }) => getUser(input.id)),
	create: permitted('user.create')
		.input(createUserSchema)
		.mutation(({ input, ctx }) => createUser(actorOf(ctx), input)),
	update: permitted('user.update')
		.input(updateUserSchema)
		.mutation(({ input, ctx }) => updateUser(actorOf(ctx), input)),
	changeRole: permitted('user.changeRole')
		.input(z.object({ id: z.uuid(), role: roleSchema }))
		.mutation(({ input, ctx }) => changeRole(actorOf(ctx), input.id, input.role)),
	setActive: permitted('user.deactivate')
		.input(z.object({ id: z.uuid(), active: z.boolean() }))
		.mutation(({ input, ctx }) => setActive(actorOf(ctx), input.id, input.active)),
	setPassword: permitted('user.update')
		.input(z.object({ id: z.uuid(), password: passwordSchema }))
		.mutation(async ({ input, ctx }) => {
			await setPassword(actorOf(ctx), input.id, input.password);
			return { ok: true };
		}),
	setGroups: permitted('user.update')
		.input(z.object({ id: z.uuid(), groupIds: z.array(z.uuid()).max(100) }))
		.mutation(({ input, ctx }) => setUserGroups(actorOf(ctx), input.id, input.groupIds)),
	/** Live: which user changed, so an open users list can refresh (admins only). */
	changes: permitted('user.create').subscription(async function* ({ signal }) {
		for await (const event of events(signal)) {
			if (event.type === 'UserChanged') yield { userId: event.userId, change: event.change };
		}
	})
});
