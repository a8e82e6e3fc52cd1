/**
 * The OpenAPI document → what the docs page shows: operations grouped by tag, parameters and
 * schemas as flat rows (nested fields as "requester.email"), examples pretty-printed. Pure, so
 * the page renders on the server without a client-side renderer.
 */
type Json = Record<string, unknown>;
type Schema = Json & { $ref?: string };

export interface Row {
	name: string;
	depth: number;
	type: string;
	/** A component this row links to (#schema-Name). */
	link?: string;
	required: boolean;
	description: string;
	values?: string[];
	constraints: string[];
}

export interface Operation {
	id: string;
	method: string;
	path: string;
	summary: string;
	description: string;
	auth: boolean;
	params: Row[];
	headers: Row[];
	body?: { rows: Row[]; schema?: string; example?: string };
	responses: { status: string; description: string; schema?: string; example?: string }[];
	curl?: string;
}

export interface DocsModel {
	title: string;
	version: string;
	description: string;
	baseUrl: string;
	authDescription: string;
	groups: { tag: string; description: string; operations: Operation[] }[];
	errors: { status: string; name: string; description: string; example: string }[];
	schemas: {
		name: string;
		description: string;
		rows: Row[];
		values?: string[];
		/** A request body (fields may be required) rather than an answer (fields always present). */
		request: boolean;
	}[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const refName = (ref: string) => ref.split('/').pop() ?? ref;
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

function resolveRef(doc: Json, ref: string): Json {
	let node: unknown = doc;
	for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json | undefined)?.[part];
	return (node ?? {}) as Json;
}

const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));

function constraintsOf(s: Schema): string[] {
	const c: string[] = [];
	if (typeof s.minLength === 'number' && typeof s.maxLength === 'number')
		c.push(`${n(s.minLength)}–${n(s.maxLength)} characters`);
	else if (typeof s.maxLength === 'number') c.push(`at most ${n(s.maxLength)} characters`);
	if (typeof s.minimum === 'number' && typeof s.maximum === 'number')
		c.push(`${n(s.minimum)}–${n(s.maximum)}`);
	else if (typeof s.minimum === 'number') c.push(`≥ ${n(s.minimum)}`);
	if (typeof s.maxItems === 'number') c.push(`at most ${n(s.maxItems)} items`);
	if (s.default !== undefined) c.push(`default ${JSON.stringify(s.default)}`);
	return c;
}

interface Described {
	type: string;
	link?: string;
	values?: string[];
	children?: Schema;
}

/** One schema's type label; objects without a component return their schema for nested rows. */
function describe(doc: Json, s: Schema): Described {
	if (s.$ref) {
		const name = refName(s.$ref);
		const target = resolveRef(doc, s.$ref);
		if (Array.isArray(target.enum)) return { type: 'enum', values: target.enum.map(String) };
		return { type: name, link: name };
	}
	const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
	if (union) {
		const nonNull = union.filter((u) => u.type !== 'null');
		const parts = nonNull.map((u) => describe(doc, u));
		const nullable = nonNull.length < union.length ? ' | null' : '';
		const first = parts[0];
		if (parts.length === 1 && first) return { ...first, type: first.type + nullable };
		const formats = nonNull.map((u) => (u.type === 'string' ? u.format : undefined));
		if (formats.every((f) => typeof f === 'string'))
			return { type: `string (${formats.join(' or ')})${nullable}` };
		return { type: parts.map((p) => p.type).join(' | ') + nullable };
	}
	if (Array.isArray(s.enum)) return { type: 'enum', values: s.enum.map(String) };
	if (s.type === 'array') {
		const item = describe(doc, (s.items ?? {}) as Schema);
		return { ...item, type: `array of ${item.type}` };
	}
	if (s.type === 'object' || s.properties) {
		if (s.properties) return { type: 'object', children: s };
		return { type: 'object (key → value)' };
	}
	if (typeof s.format === 'string') return { type: `${String(s.type)} (${s.format})` };
	return { type: typeof s.type === 'string' ? s.type : 'any' };
}

export function rowsOf(doc: Json, schema: Schema, prefix = '', depth = 0): Row[] {
	const target = schema.$ref ? resolveRef(doc, schema.$ref) : schema;
	const props = (target.properties ?? {}) as Record<string, Schema>;
	const required = new Set((target.required ?? []) as string[]);
	const rows: Row[] = [];
	for (const [name, prop] of Object.entries(props)) {
		const d = describe(doc, prop);
		const inner = (prop.items as Schema | undefined) ?? prop;
		rows.push({
			name: prefix + name,
			depth,
			type: d.type,
			link: d.link,
			required: required.has(name),
			description: String(prop.description ?? inner.description ?? ''),
			values: d.values,
			constraints: constraintsOf(prop.type === 'array' ? { ...inner, ...prop } : prop)
		});
		if (d.children && depth < 3)
			rows.push(...rowsOf(doc, d.children, `${prefix}${name}.`, depth + 1));
	}
	return rows;
}

function paramRow(doc: Json, p: Json): Row {
	const schema = (p.schema ?? {}) as Schema;
	const d = describe(doc, schema);
	const inner = (schema.items as Schema | undefined) ?? schema;
	return {
		name: String(p.name),
		depth: 0,
		type: d.type,
		link: d.link,
		required: p.required === true,
		description: String(p.description ?? ''),
		values: d.values,
		constraints: constraintsOf(schema.type === 'array' ? { ...inner, ...schema } : schema)
	};
}

function jsonContent(node: Json | undefined): { schema?: string; example?: string; raw?: Schema } {
	const content = (node?.content as Json | undefined)?.['application/json'] as Json | undefined;
	if (!content) return {};
	const schema = content.schema as Schema | undefined;
	return {
		schema: schema?.$ref ? refName(schema.$ref) : undefined,
		example: content.example === undefined ? undefined : pretty(content.example),
		raw: schema
	};
}

function operationsOf(doc: Json): (Operation & { tag: string })[] {
	const ops: (Operation & { tag: string })[] = [];
	for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
		const shared = (item.parameters ?? []) as Json[];
		for (const method of METHODS) {
			const op = item[method] as Json | undefined;
			if (!op) continue;
			const params = [...shared, ...((op.parameters ?? []) as Json[])].map((p) =>
				p.$ref ? resolveRef(doc, String(p.$ref)) : p
			);
			const requestBody = jsonContent(op.requestBody as Json | undefined);
			const samples = (op['x-codeSamples'] ?? []) as { source: string }[];
			ops.push({
				tag: ((op.tags ?? ['Other']) as string[])[0] ?? 'Other',
				id: String(op.operationId ?? `${method}-${path}`),
				method: method.toUpperCase(),
				path,
				summary: String(op.summary ?? ''),
				description: String(op.description ?? ''),
				auth: !(Array.isArray(op.security) && op.security.length === 0),
				params: params.filter((p) => p.in !== 'header').map((p) => paramRow(doc, p)),
				headers: params.filter((p) => p.in === 'header').map((p) => paramRow(doc, p)),
				body: requestBody.raw
					? {
							rows: rowsOf(doc, requestBody.raw),
							schema: requestBody.schema,
							example: requestBody.example
						}
					: undefined,
				responses: Object.entries((op.responses ?? {}) as Record<string, Json>)
					.map(([status, r]) => {
						const res = r.$ref ? resolveRef(doc, String(r.$ref)) : r;
						const c = jsonContent(res);
						return {
							status,
							description: String(res.description ?? ''),
							schema: c.schema,
							example: c.example
						};
					})
					.sort((a, b) => a.status.localeCompare(b.status)),
				curl: samples[0]?.source
			});
		}
	}
	return ops;
}

/** Which status each shared error response (components.responses) is used under. */
function responseStatuses(doc: Json): Map<string, string> {
	const out = new Map<string, string>();
	for (const item of Object.values((doc.paths ?? {}) as Record<string, Json>)) {
		for (const method of METHODS) {
			const responses = ((item[method] as Json | undefined)?.responses ?? {}) as Record<
				string,
				Json
			>;
			for (const [status, r] of Object.entries(responses)) {
				if (typeof r.$ref === 'string') out.set(refName(r.$ref), status);
			}
		}
	}
	return out;
}

export function docsModel(doc: Json): DocsModel {
	const info = (doc.info ?? {}) as Json;
	const components = (doc.components ?? {}) as Json;
	const ops = operationsOf(doc);
	const tags = (doc.tags ?? []) as { name: string; description?: string }[];
	const names = [...new Set([...tags.map((t) => t.name), ...ops.map((o) => o.tag)])];
	const schemas = (components.schemas ?? {}) as Record<string, Schema>;
	const security = (components.securitySchemes ?? {}) as Record<string, Json>;
	const statusOf = responseStatuses(doc);
	const requests = new Set(ops.map((o) => o.body?.schema).filter(Boolean));
	return {
		title: String(info.title ?? 'API'),
		version: String(info.version ?? ''),
		description: String(info.description ?? ''),
		baseUrl: String(((doc.servers ?? []) as Json[])[0]?.url ?? ''),
		authDescription: String(Object.values(security)[0]?.description ?? ''),
		groups: names.map((tag) => ({
			tag,
			description: tags.find((t) => t.name === tag)?.description ?? '',
			operations: ops.filter((o) => o.tag === tag)
		})),
		errors: Object.entries((components.responses ?? {}) as Record<string, Json>)
			.map(([name, r]) => ({
				status: statusOf.get(name) ?? '',
				name,
				description: String(r.description ?? ''),
				example: jsonContent(r).example ?? ''
			}))
			.sort((a, b) => a.status.localeCompare(b.status)),
		schemas: Object.entries(schemas).map(([name, s]) => ({
			name,
			description: String(s.description ?? ''),
			rows: rowsOf(doc, s),
			values: Array.isArray(s.enum) ? s.enum.map(String) : undefined,
			request: requests.has(name)
		}))
	};
}
