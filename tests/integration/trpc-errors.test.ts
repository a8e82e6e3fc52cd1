import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, fieldError, forbidden, notFound } from '../../src/lib/server/errors';
import { createContext } from '../../src/lib/server/trpc/context';
import {
	authedProcedure,
	createCallerFactory,
	publicProcedure,
	router,
	userOf
} from '../../src/lib/server/trpc/init';
import { errorShape, expectCode } from '../helpers/trpc';

/** A throwaway router on the app's own procedure builders, to see errors mapped end to end. */
const testRouter = router({
	fails: publicProcedure.input(z.object({ error: z.string() })).query(({ input }) => {
		const errors: Record<string, Error> = {
			notFound: notFound('Ticket not found.'),
			forbidden: forbidden(),
			field: fieldError('subject', 'Subject is too long.'),
			unavailable: new AppError('SERVICE_UNAVAILABLE', 'Mail server is down.'),
			conflict: new AppError('CONFLICT', 'Already taken.', { name: ['Already taken.'] }),
			limited: new AppError('TOO_MANY_REQUESTS', 'Slow down.', undefined, 7),
			bug: new TypeError("Cannot read properties of undefined (reading 'id')"),
			trpc: new TRPCError({ code: 'PRECONDITION_FAILED', message: 'Not in that state.' })
		};
		throw errors[input.error];
	}),
	needsUser: authedProcedure.query(({ ctx }) => userOf(ctx).id)
});

const logged: unknown[] = [];
const ctx = createContext({
	user: null,
	log: { error: (obj: unknown) => logged.push(obj) } as never
});
const caller = createCallerFactory(testRouter)(ctx);
const call = (error: string) => caller.fails({ error });

describe('domain errors reach clients with the right code and message', () => {
	it('AppError codes map to the same tRPC codes, with their message', async () => {
		expect((await expectCode(call('notFound'), 'NOT_FOUND')).message).toBe('Ticket not found.');
		expect((await expectCode(call('forbidden'), 'FORBIDDEN')).message).toBe(
			'You do not have permission to do that.'
		);
		const shape = errorShape(await expectCode(call('conflict'), 'CONFLICT'), 'fails');
		expect(shape.message).toBe('Already taken.');
		expect(shape.data.fields).toEqual({ name: ['Already taken.'] });
	});

	it('a field error is BAD_REQUEST with that field', async () => {
		const shape = errorShape(await expectCode(call('field'), 'BAD_REQUEST'), 'fails');
		expect(shape.data.fields).toEqual({ subject: ['Subject is too long.'] });
	});

	it('rate limiting carries retryAfter', async () => {
		const shape = errorShape(await expectCode(call('limited'), 'TOO_MANY_REQUESTS'), 'fails');
		expect(shape.data.retryAfter).toBe(7);
	});

	it('SERVICE_UNAVAILABLE becomes INTERNAL_SERVER_ERROR with a generic message', async () => {
		const err = await expectCode(call('unavailable'), 'INTERNAL_SERVER_ERROR');
		expect(errorShape(err, 'fails').message).toBe(
			'Something went wrong on our side. Please try again.'
		);
	});

	it('an unexpected exception is logged and its message is not shown to the client', async () => {
		logged.length = 0;
		const err = await expectCode(call('bug'), 'INTERNAL_SERVER_ERROR');
		const shape = errorShape(err, 'fails');
		expect(shape.message).toBe('Something went wrong on our side. Please try again.');
		expect(JSON.stringify(shape)).not.toContain('reading');
		expect(logged).toEqual([expect.objectContaining({ path: 'fails' })]);
	});

	it('TRPCErrors thrown on purpose pass through unchanged and are not logged', async () => {
		logged.length = 0;
		const err = await expectCode(call('trpc'), 'PRECONDITION_FAILED');
		expect(errorShape(err, 'fails').message).toBe('Not in that state.');
		expect(logged).toEqual([]);
	});

	it('zod input errors give "Some fields are not valid." and a message per field, plus form-level ones', async () => {
		const err = await expectCode(caller.fails({ error: 42 } as never), 'BAD_REQUEST');
		const shape = errorShape(err, 'fails');
		expect(shape.message).toBe('Some fields are not valid.');
		expect(Object.keys(shape.data.fields ?? {})).toEqual(['error']);
		const whole = errorShape(
			await expectCode(caller.fails('nope' as never), 'BAD_REQUEST'),
			'fails'
		);
		expect(whole.data.fields?._form?.length).toBe(1);
	});

	it('userOf refuses a context without a user', async () => {
		await expectCode(caller.needsUser(), 'UNAUTHORIZED');
		expect(() => userOf(ctx)).toThrow(TRPCError);
	});
});
