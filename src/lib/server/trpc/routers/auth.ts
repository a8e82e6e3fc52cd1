import { z } from 'zod';
import { signIn, signOut } from '../../identity/auth';
import { signInSchema, themeSchema } from '../../identity/schemas';
import { setTheme } from '../../identity/users';
import { authedProcedure, publicProcedure, router, userOf } from '../init';

export const authRouter = router({
	me: publicProcedure.query(({ ctx }) => ctx.user),
	signIn: publicProcedure.input(signInSchema).mutation(async ({ input, ctx }) => {
		const result = await signIn(input.email, input.password, { ip: ctx.ip });
		ctx.cookies?.setSession(result.token, result.expiresAt);
		return result.user;
	}),
	signOut: authedProcedure.input(z.void()).mutation(async ({ ctx }) => {
		await signOut(ctx.sessionId);
		ctx.cookies?.clearSession();
		return { ok: true };
	}),
	setTheme: authedProcedure
		.input(z.object({ theme: themeSchema }))
		.mutation(async ({ input, ctx }) => {
			await setTheme(userOf(ctx).id, input.theme);
			return { theme: input.theme };
		})
});
