import { getTRPCErrorShape, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { expect } from 'vitest';
import type { Access } from '../../src/lib/server/trpc/init';
import { appRouter } from '../../src/lib/server/trpc/root';

export interface ProcedureInfo {
	path: string;
	type: 'query' | 'mutation' | 'subscription';
	meta: Partial<Access> | undefined;
	hasInput: boolean;
}

interface ProcedureDef {
	_def: { type: ProcedureInfo['type']; meta?: Partial<Access>; inputs: unknown[] };
}

/** Every procedure of the app router, read from its definition (so new ones are included). */
export function allProcedures(): ProcedureInfo[] {
	const record = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
	return Object.entries(record)
		.map(([path, proc]) => ({
			path,
			type: proc._def.type,
			meta: proc._def.meta,
			hasInput: proc._def.inputs.length > 0
		}))
		.sort((a, b) => a.path.localeCompare(b.path));
}

/** Calls `path` on a caller by its dotted name. */
export function callByPath(caller: object, path: string, input: unknown): Promise<unknown> {
	const fn = path
		.split('.')
		.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
	return (fn as (input: unknown) => Promise<unknown>)(input);
}

/** The rejection of `promise`, which must be a TRPCError. */
export async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
	let result: unknown;
	try {
		result = await promise;
	} catch (err) {
		expect(err).toBeInstanceOf(TRPCError);
		return err as TRPCError;
	}
	throw new Error(`expected a TRPCError, got a result: ${JSON.stringify(result)}`);
}

export async function expectCode(promise: Promise<unknown>, code: TRPC_ERROR_CODE_KEY) {
	const err = await trpcError(promise);
	expect(err.code, err.message).toBe(code);
	return err;
}

/**
 * What a client receives for this error (the app's errorFormatter applied), as the HTTP and
 * WebSocket adapters build it. Callers throw the bare TRPCError, so tests format it here.
 */
export function errorShape(error: TRPCError, path: string) {
	return getTRPCErrorShape({
		config: appRouter._def._config,
		error,
		type: 'unknown',
		path,
		input: undefined,
		ctx: undefined
	}) as {
		message: string;
		data: { code: string; fields?: Record<string, string[]>; retryAfter?: number };
	};
}
