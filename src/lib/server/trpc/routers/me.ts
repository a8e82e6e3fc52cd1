import { portalOverview, staffOverview } from '../../identity/overview';
import { userProfileSchema } from '../../identity/schemas';
import { getUser, updateUser } from '../../identity/users';
import { authedProcedure, permitted, router, userOf } from '../init';

/** What a user may change about themselves: the profile without the email (an admin's call). */
const profileEdit = userProfileSchema.omit({ email: true });

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
