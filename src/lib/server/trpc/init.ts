import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { can, type Permission } from '$lib/permissions';
import { transformer } from '$lib/trpc/transformer';
import { AppError, type FieldErrors } from '../errors';
import type { Context } from './context';

/**
 * Every procedure declares who may call it in its meta; a procedure without it is refused
 * (fail closed), and the permission walk test reads the same meta.
 */
export type Access = { access: 'public' } | { access: 'authenticated' } | { access: Permission };
export type Meta = Access;

function fieldsOf(error: unknown): FieldErrors | undefined {
	if (error instanceof ZodError) {
		const flat = z.flattenError(error);
		const fields: FieldErrors = { ...(flat.fieldErrors as FieldErrors) };
		if (flat.formErrors.length) fields._form = flat.formErrors;
		return fields;
	}
	if (error instanceof AppError) return error.fields;
	return undefined;
}

const t = initTRPC
	.context<Context>()
	.meta<Meta>()
	.create({
		transformer,
		errorFormatter({ shape, error }) {
			const fields = fieldsOf(error.cause);
			const message =
				error.cause instanceof ZodError
					? 'Some fields are not valid.'
					: error.code === 'INTERNAL_SERVER_ERROR'
						? 'Something went wrong on our side. Please try again.'
						: shape.message;
			const retryAfter =
				error.cause instanceof AppError ? error.cause.retryAfterSeconds : undefined;
			return { ...shape, message, data: { ...shape.data, fields, retryAfter, stack: undefined } };
		}
	});

/** AppError from the domain → TRPCError with the same code; anything else is logged. */
const errorMapper = t.middleware(async ({ next, ctx, path }) => {
	const result = await next();
	if (!result.ok) {
		const cause = result.error.cause;
		if (cause instanceof AppError) {
			result.error = new TRPCError({
				code: cause.code === 'SERVICE_UNAVAILABLE' ? 'INTERNAL_SERVER_ERROR' : cause.code,
				message: cause.message,
				cause
			});
		} else if (result.error.code === 'INTERNAL_SERVER_ERROR') {
			ctx.log.error({ err: cause ?? result.error, path }, 'procedure failed');
		}
	}
	return result;
});

const enforceAccess = t.middleware(({ meta, ctx, next }) => {
	if (!meta?.access) {
		throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Procedure has no access rule' });
	}
	if (meta.access === 'public') return next();
	if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
	if (meta.access !== 'authenticated' && !can(ctx.user.role, meta.access)) {
		throw new TRPCError({ code: 'FORBIDDEN', message: 'You do not have permission to do that.' });
	}
	return next({ ctx: { ...ctx, user: ctx.user } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
const base = t.procedure.use(errorMapper).use(enforceAccess);

export const publicProcedure = base.meta({ access: 'public' });
export const authedProcedure = base.meta({ access: 'authenticated' });
/** A procedure for holders of one permission. */
export const permitted = (permission: Permission) => base.meta({ access: permission });

/** Narrowing for procedures that passed enforceAccess with a user. */
export function userOf(ctx: Context) {
	if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
	return ctx.user;
}
export const actorOf = (ctx: Context) => ({ id: ctx.user?.id ?? null, ip: ctx.ip });
