import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { can, PERMISSIONS, ROLES, type Permission, type RoleName } from '../../src/lib/permissions';
import { createContext } from '../../src/lib/server/trpc/context';
import { createCallerFactory, publicProcedure, router } from '../../src/lib/server/trpc/init';
import { guardFor, ROUTE_GUARDS } from '../../src/lib/server/http/guards';
import { callerAs, makeUser, sessionUserOf, type TestUser } from '../helpers/factories';
import { fakeEvent } from '../helpers/http';
import { allProcedures, callByPath, expectCode } from '../helpers/trpc';

const ROUTES_DIR = join(process.cwd(), 'src/routes');

/** An input no schema accepts: a permitted caller gets BAD_REQUEST, a refused one never gets that far. */
const INVALID_INPUT = Symbol('not a valid input');

type Callers = 'anonymous' | RoleName;
const CALLERS: Callers[] = ['anonymous', ...ROLES];

function isAccessRule(access: unknown): boolean {
	return (
		access === 'public' ||
		access === 'authenticated' ||
		(PERMISSIONS as readonly unknown[]).includes(access)
	);
}

/** What enforceAccess must decide, from the registry alone. */
function expectedOutcome(access: string, who: Callers): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' {
	if (access === 'public') return 'allowed';
	if (who === 'anonymous') return 'UNAUTHORIZED';
	if (access === 'authenticated') return 'allowed';
	return can(who, access as Permission) ? 'allowed' : 'FORBIDDEN';
}

/** Closes a subscription's iterator without starting it (it would listen forever). */
async function dispose(result: unknown): Promise<void> {
	if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
		await (result as AsyncGenerator).return(undefined);
	}
}

const procedures = allProcedures();

describe('every tRPC procedure declares and enforces its access rule', () => {
	const users = {} as Record<RoleName, TestUser>;

	beforeAll(async () => {
		for (const role of ROLES) users[role] = await makeUser({ role });
	});

	it('finds the procedures of every router (the walk is not empty)', () => {
		const namespaces = new Set(procedures.map((p) => p.path.split('.')[0]));
		for (const ns of ['auth', 'users', 'groups', 'apiKeys', 'notifications', 'health']) {
			expect(namespaces).toContain(ns);
		}
		expect(procedures.map((p) => p.path)).toContain('notifications.onCount');
		expect(procedures.some((p) => p.type === 'subscription')).toBe(true);
	});

	it('every procedure has meta.access naming public, authenticated or a registered permission', () => {
		const missing = procedures.filter((p) => !p.meta?.access).map((p) => p.path);
		expect(missing, 'procedures without meta.access').toEqual([]);
		const unknown = procedures.filter((p) => !isAccessRule(p.meta?.access));
		expect(unknown.map((p) => `${p.path}: ${String(p.meta?.access)}`)).toEqual([]);
	});

	for (const proc of procedures) {
		const access = String(proc.meta?.access);
		it(`${proc.type} ${proc.path} [${access}]: refused callers get FORBIDDEN/UNAUTHORIZED before input parsing`, async () => {
			for (const who of CALLERS) {
				const caller = who === 'anonymous' ? callerAs(null) : callerAs(users[who]);
				const expected = expectedOutcome(access, who);
				const call = callByPath(caller, proc.path, INVALID_INPUT);
				if (expected !== 'allowed') {
					const err = await expectCode(call, expected);
					expect(err.message, `${who} on ${proc.path}`).toMatch(
						expected === 'UNAUTHORIZED' ? /sign in/i : /permission/i
					);
					continue;
				}
				let error: unknown;
				try {
					await dispose(await call);
				} catch (err) {
					error = err;
				}
				if (error !== undefined) {
					expect(error, `${who} on ${proc.path}`).toBeInstanceOf(TRPCError);
					const code = (error as TRPCError).code;
					expect(['FORBIDDEN', 'UNAUTHORIZED'], `${who} on ${proc.path}: ${code}`).not.toContain(
						code
					);
				}
				if (proc.hasInput) {
					// The input parser ran after the access check and rejected the garbage input.
					expect((error as TRPCError | undefined)?.code, `${who} on ${proc.path}`).toBe(
						'BAD_REQUEST'
					);
				}
			}
		});
	}

	it('a procedure that lost its access rule is refused for everyone (fail closed)', async () => {
		const noRule = publicProcedure.meta({ access: undefined } as never);
		const testRouter = router({ open: noRule.query(() => 'reached') });
		const caller = createCallerFactory(testRouter)(
			createContext({ user: { id: 'x', email: 'x@x', name: 'x', role: 'ADMIN', theme: 'dark' } })
		);
		const err = await expectCode(caller.open(), 'INTERNAL_SERVER_ERROR');
		expect(err.message).toBe('Procedure has no access rule');
	});

	// tRPC 11's caller runs a subscription's middlewares when it is called: a refused caller gets
	// a rejected promise (no iterable at all), a permitted one an async iterable, not yet started.
	it('a subscription refused to a role rejects when called, before any value is produced', async () => {
		const sub = procedures.find((p) => p.type === 'subscription' && p.meta?.access !== 'public');
		expect(sub).toBeDefined();
		const denied = ROLES.find((r) => expectedOutcome(String(sub!.meta!.access), r) === 'FORBIDDEN');
		expect(denied).toBeDefined();
		await expectCode(callByPath(callerAs(users[denied!]), sub!.path, undefined), 'FORBIDDEN');
	});
});

describe('page guards (ROUTE_GUARDS) agree with the permission registry', () => {
	it('every guard names a registered permission or "authenticated", each prefix once', () => {
		for (const g of ROUTE_GUARDS) {
			expect(g.prefix).toMatch(/^\/[a-z0-9/-]+[a-z0-9]$/);
			expect(isAccessRule(g.permission), g.prefix).toBe(true);
		}
		const prefixes = ROUTE_GUARDS.map((g) => g.prefix);
		expect(new Set(prefixes).size).toBe(prefixes.length);
	});

	it('a guard applies to its own prefix and below, unless a longer prefix is more specific', () => {
		for (const g of ROUTE_GUARDS) {
			expect(guardFor(g.prefix)).toBe(g);
			expect(guardFor(`${g.prefix}/some-page/123`)).toBe(g);
			for (const longer of ROUTE_GUARDS.filter((o) => o.prefix.startsWith(g.prefix + '/'))) {
				expect(guardFor(`${longer.prefix}/page`)).toBe(longer);
			}
			// "/app" must not match "/application": prefixes end at a path segment.
			expect(guardFor(`${g.prefix}x`)).not.toBe(g);
		}
	});

	const table: [path: string, allowed: RoleName[] | 'public'][] = [
		['/app', ['ADMIN', 'IT_MANAGER', 'AGENT']],
		['/app/tickets/42', ['ADMIN', 'IT_MANAGER', 'AGENT']],
		['/app/teams', ['ADMIN', 'IT_MANAGER', 'AGENT']],
		['/app/teams/abc', ['ADMIN', 'IT_MANAGER', 'AGENT']],
		['/app/admin', ['ADMIN']],
		['/app/admin/settings', ['ADMIN']],
		['/app/admin/users', ['ADMIN']],
		['/app/admin/users/0b5e', ['ADMIN']],
		['/app/admin/api-keys', ['ADMIN']],
		['/app/admin/audit', ['ADMIN']],
		['/app/administrator', ['ADMIN', 'IT_MANAGER', 'AGENT']],
		['/portal', ['END_USER']],
		['/portal/requests/7', ['END_USER']],
		['/account', ['ADMIN', 'IT_MANAGER', 'AGENT', 'END_USER', 'REQUESTER']],
		['/account/security', ['ADMIN', 'IT_MANAGER', 'AGENT', 'END_USER', 'REQUESTER']],
		['/', 'public'],
		['/login', 'public'],
		['/healthz', 'public'],
		['/application', 'public'],
		['/portals', 'public']
	];

	for (const [path, allowed] of table) {
		it(`${path}: ${allowed === 'public' ? 'public' : allowed.join(', ')}`, () => {
			const guard = guardFor(path);
			if (allowed === 'public') {
				expect(guard).toBeUndefined();
				return;
			}
			expect(guard, path).toBeDefined();
			for (const role of ROLES) {
				const ok = guard!.permission === 'authenticated' || can(role, guard!.permission);
				expect(ok, `${role} on ${path}`).toBe(allowed.includes(role));
			}
		});
	}

	it('every page under /app, /portal and /account is covered by a guard', () => {
		const pages = pagePaths();
		expect(pages).toContain('/login');
		const unguarded = pages
			.filter((p) => /^\/(app|portal|account)(\/|$)/.test(p))
			.filter((p) => !guardFor(p));
		expect(unguarded).toEqual([]);
	});

	it('route ids become paths: groups dropped, params filled', () => {
		expect(routeIdToPath('(staff)/app/tickets/[id]')).toBe('/app/tickets/x');
		expect(routeIdToPath('(public)')).toBe('/');
		expect(routeIdToPath('portal/[...rest]')).toBe('/portal/x');
	});
});

/** '(group)/app/users/[id]' → '/app/users/x' */
function routeIdToPath(routeId: string): string {
	const segments = routeId
		.split('/')
		.filter((s) => s && !/^\(.*\)$/.test(s))
		.map((s) => (s.startsWith('[') ? 'x' : s));
	return '/' + segments.join('/');
}

function filesNamed(name: string, under: string): string[] {
	let entries: string[];
	try {
		entries = readdirSync(under, { recursive: true }) as string[];
	} catch {
		return [];
	}
	return entries.filter((f) => f === name || f.endsWith(sep + name)).map((f) => join(under, f));
}

function pagePaths(): string[] {
	return filesNamed('+page.svelte', ROUTES_DIR).map((file) =>
		routeIdToPath(relative(ROUTES_DIR, file).split(sep).slice(0, -1).join('/'))
	);
}

/*
 * REST convention (for endpoints still to come): every `src/routes/api/v1/** /+server.ts`
 * declares, next to its handlers, which permission each HTTP method needs:
 *
 *   export const _permissions = { GET: 'ticket.read', POST: 'ticket.create' } satisfies EndpointPermissions;
 *
 * ('public' and 'authenticated' are allowed too). The endpoint's handler checks it, and this test
 * makes sure no endpoint ships without one, so REST is walked like tRPC above. There are no such
 * endpoints yet; the check still runs over whatever exists and is itself tested on sample modules.
 */
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'fallback'];

function endpointProblems(mod: Record<string, unknown>): string[] {
	const handlers = HTTP_METHODS.filter((m) => typeof mod[m] === 'function');
	const map = mod._permissions as Record<string, unknown> | undefined;
	if (!map || typeof map !== 'object') return ['exports no `_permissions` map'];
	const problems: string[] = [];
	for (const m of handlers) {
		if (!(m in map)) problems.push(`${m} has no entry in _permissions`);
		else if (!isAccessRule(map[m])) problems.push(`${m}: unknown permission ${String(map[m])}`);
	}
	for (const m of Object.keys(map)) {
		if (!handlers.includes(m)) problems.push(`_permissions.${m} names no exported handler`);
	}
	return problems;
}

describe('REST endpoints under /api/v1 declare a permission per method', () => {
	it('the check recognises good and bad endpoint modules', () => {
		const handler = () => new Response();
		expect(endpointProblems({ GET: handler, _permissions: { GET: 'user.read' } })).toEqual([]);
		expect(endpointProblems({ GET: handler })).toEqual(['exports no `_permissions` map']);
		expect(
			endpointProblems({ GET: handler, POST: handler, _permissions: { GET: 'user.read' } })
		).toEqual(['POST has no entry in _permissions']);
		expect(endpointProblems({ GET: handler, _permissions: { GET: 'ticket.fly' } })).toEqual([
			'GET: unknown permission ticket.fly'
		]);
		expect(
			endpointProblems({ GET: handler, _permissions: { GET: 'public', DELETE: 'user.update' } })
		).toEqual(['_permissions.DELETE names no exported handler']);
	});

	it('every src/routes/api/v1/**/+server.ts exports a complete _permissions map', async () => {
		const files = filesNamed('+server.ts', join(ROUTES_DIR, 'api/v1'));
		const problems: string[] = [];
		for (const file of files) {
			const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
			for (const p of endpointProblems(mod)) problems.push(`${relative(ROUTES_DIR, file)}: ${p}`);
		}
		expect(problems).toEqual([]);
	});
});

describe('REST endpoints under /api/v1 enforce the permission they declare', () => {
	const users = {} as Record<RoleName, TestUser>;
	beforeAll(async () => {
		for (const role of ROLES) users[role] = await makeUser({ role });
	});

	it('finds at least one endpoint (the walk is not empty)', () => {
		expect(filesNamed('+server.ts', join(ROUTES_DIR, 'api/v1')).length).toBeGreaterThan(0);
	});

	it('every method answers 401 without a user and 403 to roles without the permission', async () => {
		const problems: string[] = [];
		for (const file of filesNamed('+server.ts', join(ROUTES_DIR, 'api/v1'))) {
			const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
			const map = mod._permissions as Record<string, string>;
			for (const [method, access] of Object.entries(map)) {
				const handler = mod[method] as (e: unknown) => Promise<Response>;
				for (const role of [null, ...ROLES]) {
					const { event } = fakeEvent({ url: 'http://localhost/api/v1/x', method });
					event.locals.user = role ? sessionUserOf(users[role]) : null;
					const res = await handler(event);
					const allowed =
						access === 'public' ||
						(role !== null && (access === 'authenticated' || can(role, access as Permission)));
					const where = `${relative(ROUTES_DIR, file)} ${method} as ${role ?? 'anonymous'}`;
					if (!allowed && res.status !== (role ? 403 : 401))
						problems.push(`${where}: ${res.status}`);
					if (allowed && (res.status === 401 || res.status === 403))
						problems.push(`${where}: ${res.status}`);
				}
			}
		}
		expect(problems).toEqual([]);
	});
});
