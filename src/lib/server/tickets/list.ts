import { db } from '../db/client';
import { AppError } from '../errors';
import { Prisma } from '../db/generated/client';
import { ticketListSchema, type TicketListFilters, type TicketListInput } from './schemas';
import type { Scope } from './access';
import { SLA_DUE_BUCKETS, SLA_DUE_SORT, SLA_SQL } from './list-sla';

/**
 * The agent list: filters, sorting and keyset pagination in one SQL query over indexes shaped
 * like it (see the Ticket indexes in schema.prisma), then one query for the page's rows. Search
 * uses the full-text vector kept by triggers; misspelt words are replaced by their nearest known
 * words (trigram similarity over "SearchWord"), so "pritner" finds printers.
 */
export const listSelect = {
	id: true,
	number: true,
	version: true,
	subject: true,
	status: true,
	priority: true,
	source: true,
	tags: true,
	createdAt: true,
	updatedAt: true,
	firstResponseAt: true,
	requester: { select: { id: true, name: true, email: true } },
	assignee: { select: { id: true, name: true } },
	group: { select: { id: true, name: true } },
	type: { select: { id: true, name: true } },
	mergedInto: { select: { number: true } },
	resolvedAt: true,
	slaPolicy: { select: { id: true, name: true } },
	firstResponseDueAt: true,
	resolutionDueAt: true,
	slaAtRiskAt: true
} satisfies Prisma.TicketSelect;
export type TicketListRow = Prisma.TicketGetPayload<{ select: typeof listSelect }>;

const sql = Prisma.sql;
const join = (parts: Prisma.Sql[], sep: string) => Prisma.join(parts, sep);

/** The scope as SQL over alias t (mirrors access.ts scopeFor). */
export function scopeSql(scope: Scope): Prisma.Sql {
	if (scope.all) return sql`TRUE`;
	const me = scope.viewer.id;
	if (scope.viewer.role === 'AGENT') {
		const groups = scope.groupIds.length
			? sql` OR t."groupId" = ANY(${scope.groupIds}::uuid[])`
			: Prisma.empty;
		return sql`(t."groupId" IS NULL${groups} OR t."assigneeId" = ${me}::uuid OR t."requesterId" = ${me}::uuid)`;
	}
	if (scope.where && 'requesterId' in scope.where) return sql`t."requesterId" = ${me}::uuid`;
	return sql`FALSE`;
}

const SORT_COLUMNS = {
	updated: [sql`t."updatedAt"`],
	created: [sql`t."createdAt"`],
	number: [sql`t.number`],
	priority: [sql`t.priority`, sql`t."updatedAt"`],
	sla: SLA_DUE_SORT
} as const;

type CursorValue = string | number;

function encodeCursor(values: CursorValue[]): string {
	return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string, sort: TicketListFilters['sort']): Prisma.Sql[] {
	let values: unknown;
	try {
		values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
	} catch {
		values = null;
	}
	const bad = () =>
		new AppError('BAD_REQUEST', 'The page cursor is not valid.', {
			cursor: ['The page cursor is not valid.']
		});
	if (!Array.isArray(values) || values.length !== SORT_COLUMNS[sort].length + 1) throw bad();
	const id = values[values.length - 1];
	if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw bad();
	const head = values.slice(0, -1).map((v, i) => {
		if (sort === 'number') {
			if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) >= 2 ** 31) throw bad();
			return sql`${v}::int`;
		}
		if (sort === 'sla' && i === 0) {
			if (!SLA_DUE_BUCKETS.includes(v as 0)) throw bad();
			return sql`${v}::int`;
		}
		if (sort === 'priority' && i === 0) {
			if (!['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(v as string)) throw bad();
			return sql`${v}::"TicketPriority"`;
		}
		const when = typeof v === 'string' ? Date.parse(v) : NaN;
		// Postgres timestamps end at year 294276 but JS dates and cursors we hand out stay < 10000.
		if (Number.isNaN(when) || when < Date.UTC(1, 0) || when >= Date.UTC(10000, 0)) throw bad();
		return sql`${v}::timestamp`;
	});
	return [...head, sql`${id}::uuid`];
}

/** Query words → a tsquery fragment: each word (prefix for the last) OR its near spellings. */
async function searchSql(q: string): Promise<Prisma.Sql | null> {
	const words = [...q.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]).slice(0, 8);
	if (words.length === 0) return null;
	const near = await db().$queryRaw<{ w: string; known: boolean; alts: string[] }[]>`
		SELECT i.w,
		  EXISTS (SELECT 1 FROM "SearchWord" s WHERE s.word = ANY (tsvector_to_array(to_tsvector('english', i.w)))) AS known,
		  ARRAY(SELECT word FROM "SearchWord" WHERE word % i.w ORDER BY similarity(word, i.w) DESC LIMIT 2) AS alts
		FROM unnest(${words}::text[]) AS i(w)`;
	const byWord = new Map(near.map((r) => [r.w, r]));
	const parts = words.map((w, i) => {
		const own =
			i === words.length - 1 && w.length >= 3
				? sql`to_tsquery('english', ${w + ':*'})`
				: sql`plainto_tsquery('english', ${w})`;
		const info = byWord.get(w);
		const alts = info && !info.known ? info.alts.filter((a) => a !== w) : [];
		return alts.length
			? sql`(${own} || ${join(
					alts.map((a) => sql`plainto_tsquery('simple', ${a})`),
					' || '
				)})`
			: own;
	});
	const query = join(parts, ' && ');
	const num = /^#?(\d{1,9})$/.exec(q.trim());
	return num
		? sql`(t.search @@ (${query}) OR t.number = ${Number(num[1])}::int)`
		: sql`t.search @@ (${query})`;
}

/** The list's conditions: `base` from the filters and scope, `search` from the query text. */
async function whereSql(
	scope: Scope,
	f: TicketListFilters
): Promise<{ base: Prisma.Sql[]; search: Prisma.Sql | null }> {
	const w: Prisma.Sql[] = [scopeSql(scope)];
	const me = scope.viewer.id;
	if (!f.includeMerged) w.push(sql`t."mergedIntoId" IS NULL`);
	if (f.status?.length) w.push(sql`t.status = ANY(${f.status}::"TicketStatus"[])`);
	if (f.priority?.length) w.push(sql`t.priority = ANY(${f.priority}::"TicketPriority"[])`);
	if (f.source?.length) w.push(sql`t.source = ANY(${f.source}::"TicketSource"[])`);
	if (f.assignee?.length) {
		const ids = f.assignee.filter((a) => a !== 'none').map((a) => (a === 'me' ? me : a));
		const or: Prisma.Sql[] = [];
		if (ids.length) or.push(sql`t."assigneeId" = ANY(${ids}::uuid[])`);
		if (f.assignee.includes('none')) or.push(sql`t."assigneeId" IS NULL`);
		w.push(sql`(${join(or, ' OR ')})`);
	}
	if (f.group?.length) {
		const ids = f.group.filter((g) => g !== 'none');
		const or: Prisma.Sql[] = [];
		if (ids.length) or.push(sql`t."groupId" = ANY(${ids}::uuid[])`);
		if (f.group.includes('none')) or.push(sql`t."groupId" IS NULL`);
		w.push(sql`(${join(or, ' OR ')})`);
	}
	if (f.type?.length) w.push(sql`t."typeId" = ANY(${f.type}::uuid[])`);
	if (f.category?.length) w.push(sql`t."categoryId" = ANY(${f.category}::uuid[])`);
	if (f.tags?.length) w.push(sql`t.tags @> ${f.tags}::text[]`);
	if (f.sla?.length)
		w.push(
			sql`(${join(
				f.sla.map((state) => SLA_SQL[state]),
				' OR '
			)})`
		);
	if (f.requester) w.push(sql`t."requesterId" = ${f.requester}::uuid`);
	if (f.createdFrom) w.push(sql`t."createdAt" >= ${f.createdFrom.toISOString()}::timestamp`);
	if (f.createdTo) w.push(sql`t."createdAt" < ${f.createdTo.toISOString()}::timestamp`);
	if (f.updatedFrom) w.push(sql`t."updatedAt" >= ${f.updatedFrom.toISOString()}::timestamp`);
	if (f.updatedTo) w.push(sql`t."updatedAt" < ${f.updatedTo.toISOString()}::timestamp`);
	return { base: w, search: f.q ? await searchSql(f.q) : null };
}

/**
 * A search first looks among the next SEARCH_WINDOW tickets in list order (an index walk): when
 * a page's worth matches there, those are exactly the page, since every other match sorts after
 * them. Only searches with fewer matches in the window (rare words, which the full-text index
 * finds quickly) run over the whole table. Common words would otherwise make PostgreSQL fetch
 * and sort every matching ticket.
 */
const SEARCH_WINDOW = 5000;

export interface TicketPage {
	items: TicketListRow[];
	nextCursor: string | null;
}

export async function listTickets(
	scope: Scope,
	raw: TicketListInput,
	searchWindow = SEARCH_WINDOW
): Promise<TicketPage> {
	const f = ticketListSchema.parse(raw);
	const { base: where, search } = await whereSql(scope, f);
	const cols = SORT_COLUMNS[f.sort];
	const dir = f.dir === 'asc' ? sql`ASC` : sql`DESC`;
	if (f.cursor) {
		const values = decodeCursor(f.cursor, f.sort);
		const op = f.dir === 'asc' ? sql`>` : sql`<`;
		where.push(sql`(${join([...cols, sql`t.id`], ', ')}) ${op} (${join(values, ', ')})`);
	}
	const order = join(
		[...cols, sql`t.id`].map((c) => sql`${c} ${dir}`),
		', '
	);
	type Hit = { id: string; k0: unknown; k1: unknown };
	const keys = sql`t.id, ${cols[0]} AS k0, ${cols[1] ?? sql`NULL`} AS k1`;
	let hits: Hit[] | null = null;
	if (search) {
		const windowed = await db().$queryRaw<Hit[]>`
			SELECT ${keys} FROM (
				SELECT t.* FROM "Ticket" t WHERE ${join(where, ' AND ')}
				ORDER BY ${order} LIMIT ${searchWindow}
			) t WHERE ${search} ORDER BY ${order} LIMIT ${f.limit + 1}`;
		if (windowed.length > f.limit) hits = windowed;
	}
	hits ??= await db().$queryRaw<Hit[]>`
		SELECT ${keys} FROM "Ticket" t WHERE ${join([...where, ...(search ? [search] : [])], ' AND ')}
		ORDER BY ${order} LIMIT ${f.limit + 1}`;
	const page = hits.slice(0, f.limit);
	const rows = page.length
		? await db().ticket.findMany({
				where: { id: { in: page.map((h) => h.id) } },
				select: listSelect
			})
		: [];
	const byId = new Map(rows.map((r) => [r.id, r]));
	const last = page[page.length - 1];
	const keyOf = (v: unknown): CursorValue =>
		v instanceof Date ? v.toISOString() : (v as CursorValue);
	return {
		items: page.map((h) => byId.get(h.id)!).filter(Boolean),
		nextCursor:
			hits.length > f.limit && last
				? encodeCursor([...[last.k0, last.k1].slice(0, cols.length).map(keyOf), last.id])
				: null
	};
}

/** How many tickets match, counted up to `cap` (the list shows "10,000+" beyond). */
export async function countTickets(scope: Scope, raw: TicketListInput, cap = 10_000) {
	const f = ticketListSchema.parse(raw);
	const { base, search } = await whereSql(scope, f);
	const where = search ? [...base, search] : base;
	const [row] = await db().$queryRaw<{ n: number }[]>`
		SELECT count(*)::int AS n FROM (SELECT 1 FROM "Ticket" t WHERE ${join(where, ' AND ')} LIMIT ${cap + 1}) s`;
	const n = row?.n ?? 0;
	return { count: Math.min(n, cap), capped: n > cap };
}
