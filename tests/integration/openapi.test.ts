import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_COMPONENTS } from '../../src/lib/server/tickets/openapi';
import { REST_STATUSES } from '../../src/lib/server/tickets/rest-schemas';
import * as openapiRoute from '../../src/routes/api/v1/openapi.json/+server';
import { load } from '../../src/routes/developers/api/+page.server';
import type { DocsModel } from '../../src/routes/developers/api/model';
import { fakeEvent } from '../helpers/http';

type Json = Record<string, unknown>;
const V1 = join(process.cwd(), 'src/routes/api/v1');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const ORIGIN = 'https://help.example.com';

/** Every +server.ts under /api/v1 as its OpenAPI path: tickets/[number] → /tickets/{number}. */
function routeFiles(): { path: string; file: string }[] {
	return (readdirSync(V1, { recursive: true }) as string[])
		.filter((f) => f === '+server.ts' || f.endsWith(`${sep}+server.ts`))
		.map((f) => {
			const dirs = f.split(sep).slice(0, -1);
			return {
				file: join(V1, f),
				path: '/' + dirs.map((d) => d.replace(/^\[(\w+)\]$/, '{$1}')).join('/')
			};
		});
}

function pointer(doc: Json, ref: string): unknown {
	let node: unknown = doc;
	for (const part of ref.replace(/^#\//, '').split('/')) {
		node = (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
	}
	return node;
}

function walk(node: unknown, visit: (n: Json) => void) {
	if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
	else if (node && typeof node === 'object') {
		visit(node as Json);
		Object.values(node).forEach((n) => walk(n, visit));
	}
}

function operations(doc: Json) {
	const ops: { path: string; method: string; op: Json; item: Json }[] = [];
	for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
		for (const method of METHODS) {
			if (item[method]) ops.push({ path, method, op: item[method] as Json, item });
		}
	}
	return ops;
}

describe('GET /api/v1/openapi.json', () => {
	let doc: Json;
	let res: Response;

	beforeAll(async () => {
		const { event } = fakeEvent({ url: `${ORIGIN}/api/v1/openapi.json` });
		res = await (openapiRoute.GET as (e: never) => Promise<Response>)(event as never);
		doc = (await res.json()) as Json;
	});

	it('is public and an OpenAPI 3.1.0 document addressed to the origin it was fetched from', () => {
		expect(openapiRoute._permissions.GET).toBe('public');
		expect(res.status).toBe(200);
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
		expect(doc.servers).toEqual([{ url: `${ORIGIN}/api/v1` }]);
		expect(JSON.stringify(doc)).not.toContain('{{origin}}');
	});

	it('documents every method of every route file under /api/v1, and nothing that does not exist', async () => {
		const files = routeFiles();
		expect(files.map((f) => f.path)).toEqual(
			expect.arrayContaining(['/tickets', '/tickets/{number}', '/tickets/{number}/comments'])
		);
		const documented = new Set(operations(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`));
		const implemented = new Set<string>();
		for (const { file, path } of files) {
			const mod = (await import(/* @vite-ignore */ file)) as { _permissions: Json };
			for (const method of Object.keys(mod._permissions)) implemented.add(`${method} ${path}`);
		}
		expect([...implemented].filter((op) => !documented.has(op))).toEqual([]);
		expect([...documented].filter((op) => !implemented.has(op))).toEqual([]);
	});

	it('every $ref resolves inside the document', () => {
		const refs: string[] = [];
		walk(doc, (n) => {
			if (typeof n.$ref === 'string') refs.push(n.$ref);
		});
		expect(refs.length).toBeGreaterThan(20);
		const broken = refs.filter((r) => !r.startsWith('#/') || pointer(doc, r) === undefined);
		expect(broken).toEqual([]);
	});

	it('requires the bearer key everywhere except on the document itself, and documents 401 where it applies', async () => {
		const components = doc.components as Json;
		expect((components.securitySchemes as Json).bearerAuth).toMatchObject({
			type: 'http',
			scheme: 'bearer'
		});
		expect(doc.security).toEqual([{ bearerAuth: [] }]);
		for (const { file, path } of routeFiles()) {
			const mod = (await import(/* @vite-ignore */ file)) as { _permissions: Json };
			for (const [method, access] of Object.entries(mod._permissions)) {
				const op = ((doc.paths as Json)[path] as Json)[method.toLowerCase()] as Json;
				const where = `${method} ${path}`;
				if (access === 'public') {
					expect(op.security, where).toEqual([]);
				} else {
					expect(op.security, where).toBeUndefined();
					expect(op.responses, where).toHaveProperty('401');
				}
			}
		}
	});

	it('gives each operation a unique id, a summary, its path parameters and JSON responses', () => {
		const ids = new Set<string>();
		for (const { path, method, op, item } of operations(doc)) {
			const where = `${method} ${path}`;
			expect(op.operationId, where).toEqual(expect.any(String));
			expect(ids.has(op.operationId as string), where).toBe(false);
			ids.add(op.operationId as string);
			expect(op.summary, where).toEqual(expect.any(String));
			expect((op.tags as string[]).length, where).toBe(1);
			const params = [...((item.parameters ?? []) as Json[]), ...((op.parameters ?? []) as Json[])]
				.map((p) => (p.$ref ? (pointer(doc, p.$ref as string) as Json) : p))
				.filter((p) => p.in === 'path')
				.map((p) => p.name);
			const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
			expect(params.sort(), where).toEqual(inPath.sort());
			const statuses = Object.keys(op.responses as Json);
			expect(
				statuses.some((s) => s.startsWith('2')),
				where
			).toBe(true);
			for (const s of statuses.filter((s) => /^[45]/.test(s))) {
				const r = (op.responses as Json)[s] as Json;
				const resolved = (r.$ref ? pointer(doc, r.$ref as string) : r) as Json;
				expect(
					((resolved.content as Json)['application/json'] as Json).schema,
					`${where} ${s}`
				).toEqual({ $ref: '#/components/schemas/Error' });
			}
		}
		for (const status of ['400', '401', '403', '404', '409', '413', '429']) {
			expect(
				operations(doc).some(({ op }) => status in (op.responses as Json)),
				status
			).toBe(true);
		}
		const tooMany = (doc.components as Json).responses as Json;
		expect((tooMany.TooManyRequests as Json).headers).toHaveProperty('Retry-After');
	});

	it('comes from the REST zod schemas: required fields, lower-case enums, no unknown fields', () => {
		const schemas = (doc.components as Json).schemas as Record<string, Json>;
		expect(schemas.TicketCreate!.required).toEqual(['subject', 'description']);
		expect(schemas.TicketCreate!.additionalProperties).toBe(false);
		expect(Object.keys(schemas.TicketCreate!.properties as Json)).toEqual(
			expect.arrayContaining(['subject', 'description', 'priority', 'type', 'requester', 'tags'])
		);
		expect(schemas.Status!.enum).toEqual([...REST_STATUSES]);
		expect(schemas.Ticket!.required).toEqual(
			expect.arrayContaining(['id', 'number', 'status', 'requester', 'assignee', 'createdAt'])
		);
		const listParams = (((doc.paths as Json)['/tickets'] as Json).get as Json).parameters as Json[];
		expect(listParams.map((p) => p.name)).toEqual(
			expect.arrayContaining(['status', 'assignee', 'tag', 'q', 'created_after', 'limit', 'cursor'])
		);
	});

	it('every example validates against the zod schema it illustrates', () => {
		const zodOf = new Map(OPENAPI_COMPONENTS);
		let checked = 0;
		walk(doc, (n) => {
			const schema = n.schema as Json | undefined;
			if (n.example === undefined || typeof schema?.$ref !== 'string') return;
			const name = schema.$ref.split('/').pop()!;
			const zod = zodOf.get(name);
			expect(zod, name).toBeDefined();
			const result = zod!.safeParse(n.example);
			expect(result.error?.issues ?? [], `${name} example`).toEqual([]);
			checked++;
		});
		expect(checked).toBeGreaterThan(15);
	});
});

describe('/developers/api', () => {
	it('renders the document: grouped endpoints with parameters, bodies, curl samples and the error table', async () => {
		const data = (await load({ url: new URL(`${ORIGIN}/developers/api`) } as never)) as {
			docs: DocsModel;
			specUrl: string;
		};
		expect(data.specUrl).toBe(`${ORIGIN}/api/v1/openapi.json`);
		const { docs } = data;
		expect(docs.baseUrl).toBe(`${ORIGIN}/api/v1`);
		expect(docs.authDescription).toMatch(/Bearer/);
		expect(docs.groups.map((g) => g.tag)).toEqual([
			'Tickets',
			'Comments',
			'Account',
			'Mail',
			'Meta'
		]);
		const ops = docs.groups.flatMap((g) => g.operations);
		expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(
			expect.arrayContaining(['GET /tickets', 'POST /tickets', 'PATCH /tickets/{number}'])
		);
		const list = ops.find((o) => o.id === 'listTickets')!;
		expect(list.params.find((p) => p.name === 'status')).toMatchObject({
			type: 'array of enum',
			values: [...REST_STATUSES]
		});
		const create = ops.find((o) => o.id === 'createTicket')!;
		expect(create.headers.map((h) => h.name)).toEqual(['Idempotency-Key']);
		expect(create.body?.rows.map((r) => r.name)).toEqual(
			expect.arrayContaining(['subject', 'requester', 'requester.email', 'priority'])
		);
		expect(create.body?.rows.find((r) => r.name === 'priority')?.values).toEqual([
			'low',
			'medium',
			'high',
			'critical'
		]);
		expect(create.curl).toContain(`curl -X POST '${ORIGIN}/api/v1/tickets'`);
		expect(create.curl).toContain('Authorization: Bearer $API_KEY');
		expect(ops.find((o) => o.id === 'getOpenApi')?.auth).toBe(false);
		expect(docs.errors.map((e) => e.status)).toEqual([
			'400',
			'401',
			'403',
			'404',
			'409',
			'413',
			'415',
			'429'
		]);
		const ticket = docs.schemas.find((s) => s.name === 'Ticket')!;
		expect(ticket.rows.find((r) => r.name === 'assignee')).toMatchObject({
			type: 'Person | null',
			link: 'Person'
		});
	});
});
