import { z } from 'zod';
import { setUploadLimitBytes, uploadLimit } from '../../settings/uploads';
import { actorOf, permitted, router } from '../init';

const admin = permitted('settings.manage');

export const settingsRouter = router({
	uploadLimit: admin.query(() => uploadLimit()),
	setUploadLimit: admin
		.input(z.object({ bytes: z.number({ error: 'Enter a number.' }) }))
		.mutation(async ({ input, ctx }) => ({
			maxBytes: await setUploadLimitBytes(actorOf(ctx), input.bytes)
		}))
});
