import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../identity/apikeys';
import { apiKeyNameSchema } from '../../identity/schemas';
import { actorOf, permitted, router, userOf } from '../init';

export const apiKeysRouter = router({
	/** All keys (admins). */
	list: permitted('apiKey.manage').query(() => listApiKeys()),
	create: permitted('apiKey.manage')
		.input(z.object({ name: apiKeyNameSchema, userId: z.uuid() }))
		.mutation(({ input, ctx }) => createApiKey(actorOf(ctx), input.userId, input.name)),
	revoke: permitted('apiKey.manage')
		.input(z.object({ id: z.uuid() }))
		.mutation(async ({ input, ctx }) => {
			await revokeApiKey(actorOf(ctx), input.id);
			return { ok: true };
		}),
	/** A staff member's own keys. */
	mine: permitted('apiKey.manageOwn').query(({ ctx }) => listApiKeys(userOf(ctx).id)),
	createMine: permitted('apiKey.manageOwn')
		.input(z.object({ name: apiKeyNameSchema }))
		.mutation(({ input, ctx }) => createApiKey(actorOf(ctx), userOf(ctx).id, input.name)),
	revokeMine: permitted('apiKey.manageOwn')
		.input(z.object({ id: z.uuid() }))
		.mutation(async ({ input, ctx }) => {
			await revokeApiKey(actorOf(ctx), input.id, userOf(ctx).id);
			return { ok: true };
		})
});
