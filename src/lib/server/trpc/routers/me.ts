import { z } from 'zod';
import { portalOverview, staffOverview } from '../../identity/overview';
import { getUser, updateUser } from '../../identity/users';
import { authedProcedure, permitted, router, userOf } from '../init';

const profileEdit = z.object({
	name: z
		.string()
		.trim()
		.min(1, 'Name is required.')
		.max(120, 'Name must be at most 120 characters.'),
	title: z.string().trim().max(120, 'Title must be at most 120 characters.').nullish(),
	department: z.string().trim().max(120, 'Department must be at most 120 characters.').nullish(),
	phone: z.string().trim().max(40, 'Phone must be at most 40 characters.').nullish()
});

export const meRouter = router({
	profile: authedProcedure.query(({ ctx }) => getUser(userOf(ctx).id)),
	updateProfile: permitted('profile.update')
		.input(profileEdit)
		.mutation(({ input, ctx }) =>
			updateUser({ id: userOf(ctx).id, ip: ctx.ip }, { id: userOf(ctx).id, ...input })
		),
	portal: permitted('portal.use').query(({ ctx }) => portalOverview(userOf(ctx).id)),
	overview: permitted('staff.use').query(({ ctx }) =>
		staffOverview(userOf(ctx).id, userOf(ctx).role)
	)
});
