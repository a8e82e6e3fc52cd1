/**
 * Bulk data for the tickets benchmark, generated inside PostgreSQL (INSERT … SELECT over
 * generate_series), by default 1,000,000 tickets with ~5,000,000 conversation entries, ~4.7
 * million history rows, 50 agents in 6 groups and 20,000 requesters, spread over three years.
 *
 * Fast because it never round-trips rows through Node and sets `session_replication_role =
 * replica` in its own session, which skips the triggers (search vector, foreign-key checks): the
 * search vector each trigger would build is computed in the same statement instead — subject and
 * description plus the ticket's whole conversation, exactly as itsm_ticket_tsv() recomputes it —
 * and the words go into "SearchWord" for typo correction. Each chunk of tickets (with its entries
 * and history) is one statement, so an interrupted seed resumes after the last complete chunk.
 * The run's parameters and completion are recorded in "Setting" under SEED_KEY.
 */
import pg from 'pg';
import {
	AGENTS_PER_GROUP,
	CATEGORIES,
	DEPARTMENTS,
	FIRST_NAMES,
	GROUPS,
	LAST_NAMES,
	POOL,
	POOL_SIZE,
	TOPICS,
	TYPE_SLOTS,
	sentencePools,
	topicSlots
} from './lib/vocabulary';

export const SEED_KEY = 'bench.tickets.seed';
const YEARS = 3;

export interface SeedOptions {
	tickets: number;
	requesters: number;
	/** Tickets per statement. */
	chunk: number;
	/** Parallel sessions (each on its own chunks). */
	jobs: number;
	log: (line: string) => void;
}

export interface SeedMeta {
	tickets: number;
	requesters: number;
	/** Epoch seconds: the first ticket's time and the seed's "now". */
	start: number;
	now: number;
	done: boolean;
	seconds?: number;
	/** Secondary indexes dropped for the load, rebuilt at its end. */
	indexes?: { name: string; def: string }[];
}

export interface SeedResult {
	meta: SeedMeta;
	/** Seconds this run spent seeding (0 when the data was already there). */
	seconds: number;
	skipped: boolean;
}

const AGENTS = AGENTS_PER_GROUP.reduce((a, b) => a + b, 0);

async function readMeta(c: pg.Client): Promise<SeedMeta | null> {
	const r = await c.query<{ value: SeedMeta }>(`SELECT value FROM "Setting" WHERE key = $1`, [
		SEED_KEY
	]);
	return r.rows[0]?.value ?? null;
}

async function writeMeta(c: pg.Client, meta: SeedMeta): Promise<void> {
	await c.query(
		`INSERT INTO "Setting" (key, value, "updatedAt") VALUES ($1, $2, now())
		 ON CONFLICT (key) DO UPDATE SET value = excluded.value, "updatedAt" = now()`,
		[SEED_KEY, JSON.stringify(meta)]
	);
}

/** Staff, requesters, groups, memberships and categories: idempotent (fixed emails and names). */
export async function seedPeople(c: pg.Client, requesters: number): Promise<void> {
	await c.query('BEGIN');
	await c.query(
		`INSERT INTO "User" (id, email, name, role, department, "updatedAt")
		 SELECT gen_random_uuid(), e.email, e.name, e.role::"Role", 'IT', now()
		 FROM (VALUES ('bench-admin@bench.example', 'Bench Admin', 'ADMIN'),
		              ('bench-manager@bench.example', 'Bench Manager', 'IT_MANAGER')) e(email, name, role)
		 ON CONFLICT (email) DO NOTHING`
	);
	await c.query(
		`INSERT INTO "User" (id, email, name, role, department, title, "updatedAt")
		 SELECT gen_random_uuid(), 'agent' || i || '@bench.example',
		        ($1::text[])[1 + i % 20] || ' ' || ($2::text[])[1 + (i / 20 + i) % 12] || ' (agent ' || i || ')',
		        'AGENT', 'IT', 'Support engineer', now()
		 FROM generate_series(0, $3::int - 1) i
		 ON CONFLICT (email) DO NOTHING`,
		[FIRST_NAMES, LAST_NAMES, AGENTS]
	);
	await c.query(
		`INSERT INTO "User" (id, email, name, role, department, "updatedAt", "createdAt")
		 SELECT gen_random_uuid(), 'req' || i || '@bench.example',
		        ($1::text[])[1 + i % 20] || ' ' || ($2::text[])[1 + (i / 20) % 12] || ' ' || i,
		        CASE WHEN i % 10 < 7 THEN 'END_USER' ELSE 'REQUESTER' END::"Role",
		        CASE WHEN i % 10 < 7 THEN ($3::text[])[1 + i % 7] END, now(), now()
		 FROM generate_series(0, $4::int - 1) i
		 ON CONFLICT (email) DO NOTHING`,
		[FIRST_NAMES, LAST_NAMES, DEPARTMENTS, requesters]
	);
	await c.query(
		`INSERT INTO "Group" (id, name, description, "updatedAt")
		 SELECT gen_random_uuid(), g, 'Benchmark group', now() FROM unnest($1::text[]) g
		 ON CONFLICT (name) DO NOTHING`,
		[GROUPS]
	);
	// Agent i belongs to group g by AGENTS_PER_GROUP; the first two of each group also to the next.
	const members: [string, number][] = [];
	let next = 0;
	AGENTS_PER_GROUP.forEach((n, g) => {
		for (let k = 0; k < n; k++) {
			members.push([`agent${next + k}@bench.example`, g]);
			if (k < 2) members.push([`agent${next + k}@bench.example`, (g + 1) % GROUPS.length]);
		}
		next += n;
	});
	await c.query(
		`INSERT INTO "GroupMember" ("groupId", "userId")
		 SELECT g.id, u.id FROM unnest($1::text[], $2::int[]) m(email, gi)
		 JOIN "User" u ON u.email = m.email JOIN "Group" g ON g.name = ($3::text[])[m.gi + 1]
		 ON CONFLICT DO NOTHING`,
		[members.map((m) => m[0]), members.map((m) => m[1]), GROUPS]
	);
	await c.query(
		`INSERT INTO "TicketCategory" (id, name, position, "updatedAt")
		 SELECT gen_random_uuid(), c.name, c.pos, now() FROM unnest($1::text[]) WITH ORDINALITY c(name, pos)
		 WHERE NOT EXISTS (SELECT 1 FROM "TicketCategory" x WHERE x.name = c.name AND x."parentId" IS NULL)`,
		[CATEGORIES]
	);
	await c.query('COMMIT');
}

/** Session-local lookup tables the generator joins against (dropped with the session). */
export async function lookups(c: pg.Client, requesters: number, words: boolean): Promise<void> {
	const sentences = sentencePools();
	const slots = topicSlots();
	const typeSlots = TYPE_SLOTS.flatMap(([name, n]) => Array<string>(n).fill(name));
	await c.query(`
		CREATE TEMP TABLE bench_sentence (pool int, k int, s text, a tsvector, b tsvector, c tsvector,
		  PRIMARY KEY (pool, k));
		CREATE TEMP TABLE bench_topic (topic int PRIMARY KEY, g int, category_id uuid, tags text[]);
		CREATE TEMP TABLE bench_topic_slot (slot int PRIMARY KEY, topic int);
		CREATE TEMP TABLE bench_type_slot (slot int PRIMARY KEY, id uuid);
		CREATE TEMP TABLE bench_group (g int PRIMARY KEY, id uuid, size int);
		CREATE TEMP TABLE bench_group_agent (g int, k int, user_id uuid, PRIMARY KEY (g, k));
		CREATE TEMP TABLE bench_agent (k int PRIMARY KEY, user_id uuid);
		CREATE TEMP TABLE bench_req (i int PRIMARY KEY, id uuid);`);
	await c.query(
		`INSERT INTO bench_sentence
		 SELECT pool, k, s, setweight(v, 'A'), setweight(v, 'B'), setweight(v, 'C')
		 FROM unnest($1::int[], $2::int[], $3::text[]) x(pool, k, s),
		      LATERAL (SELECT to_tsvector('english', s) AS v) v`,
		[sentences.map((s) => s.pool), sentences.map((s) => s.k), sentences.map((s) => s.s)]
	);
	if (words) {
		// Every word the tickets can contain (the sentences and the asset tags appended to
		// descriptions), as the triggers' itsm_remember_words() would record them. Once, up front:
		// chunks inserting words concurrently could deadlock on the same word.
		await c.query(
			`INSERT INTO "SearchWord" (word)
			 SELECT DISTINCT w FROM (
			   SELECT unnest(tsvector_to_array(c)) AS w FROM bench_sentence
			   UNION ALL
			   SELECT unnest(tsvector_to_array(to_tsvector('english', 'Asset tag LT-' || g)))
			   FROM generate_series(10000, 99999) g) x
			 WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9._-]+$'
			 ON CONFLICT DO NOTHING`
		);
	}
	// The vectors of a ticket's sentences concatenated (|| shifts positions, as appending does).
	await c.query(
		`CREATE AGGREGATE pg_temp.bench_tsv_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')`
	);
	await c.query(
		`INSERT INTO bench_group SELECT (ord - 1)::int, g.id, 0
		 FROM unnest($1::text[]) WITH ORDINALITY n(name, ord) JOIN "Group" g ON g.name = n.name`,
		[GROUPS]
	);
	await c.query(
		`INSERT INTO bench_topic
		 SELECT (ord - 1)::int, (array_position($2::text[], t.grp) - 1), c.id,
		        string_to_array(t.tags, ',')
		 FROM unnest($1::text[], $3::text[], $4::text[]) WITH ORDINALITY t(cat, grp, tags, ord)
		 JOIN "TicketCategory" c ON c.name = t.cat AND c."parentId" IS NULL`,
		[
			TOPICS.map((t) => t.category),
			GROUPS,
			TOPICS.map((t) => t.group),
			TOPICS.map((t) => t.tags.join(','))
		]
	);
	await c.query(
		`INSERT INTO bench_topic_slot SELECT (ord - 1)::int, t FROM unnest($1::int[]) WITH ORDINALITY s(t, ord)`,
		[slots]
	);
	await c.query(
		`INSERT INTO bench_type_slot SELECT (ord - 1)::int, ty.id
		 FROM unnest($1::text[]) WITH ORDINALITY s(name, ord) JOIN "TicketType" ty ON ty.name = s.name`,
		[typeSlots]
	);
	await c.query(
		`INSERT INTO bench_group_agent
		 SELECT bg.g, (row_number() OVER (PARTITION BY bg.g ORDER BY u.email) - 1)::int, u.id
		 FROM bench_group bg JOIN "GroupMember" m ON m."groupId" = bg.id
		 JOIN "User" u ON u.id = m."userId" AND u.role = 'AGENT';
		 UPDATE bench_group bg SET size = (SELECT count(*) FROM bench_group_agent a WHERE a.g = bg.g);
		 INSERT INTO bench_agent
		 SELECT (row_number() OVER (ORDER BY email) - 1)::int, id FROM "User"
		 WHERE email LIKE 'agent%@bench.example';`
	);
	await c.query(
		`INSERT INTO bench_req SELECT substring(email from 4 for length(email) - 17)::int, id
		 FROM "User" WHERE email LIKE 'req%@bench.example'`
	);
	const check = await c.query<{ topics: string; req: string; types: string }>(
		`SELECT (SELECT count(*) FROM bench_topic) topics, (SELECT count(*) FROM bench_req) req,
		        (SELECT count(*) FROM bench_type_slot) types`
	);
	const row = check.rows[0]!;
	if (Number(row.topics) !== TOPICS.length || Number(row.req) !== requesters) {
		throw new Error(`bench lookups incomplete: ${JSON.stringify(row)}`);
	}
	await c.query('ANALYZE bench_sentence, bench_topic, bench_topic_slot, bench_type_slot');
	await c.query('ANALYZE bench_group, bench_group_agent, bench_agent, bench_req');
}

/**
 * Tickets $1..$2 (numbers 1000 + n) with their conversation and history, in one statement.
 * $3 start (epoch s), $4 span (s), $5 total tickets, $6 now (epoch s), $7 agents, $8 requesters.
 */
export const CHUNK_SQL = `
WITH t0 AS MATERIALIZED (
  SELECT n, gen_random_uuid() AS id,
    $3::float8 + (n - 1 + random()) * $4::float8 / $5::int AS created_s,
    floor(random() * 1000)::int AS topic_slot, floor(random() * 100)::int AS type_slot,
    random() AS rs, random() AS rp, random() AS rsrc, random() AS rq, random() AS ra,
    random() AS rd, random() AS rt, random() AS rg,
    floor(random() * ${POOL_SIZE})::int AS sk, floor(random() * ${POOL_SIZE})::int AS d1,
    floor(random() * ${POOL_SIZE})::int AS d2, floor(random() * ${POOL_SIZE})::int AS wk,
    1 + floor(random() * 9)::int AS ecount
  FROM generate_series($1::int, $2::int) AS n
), t1 AS MATERIALIZED (
  SELECT t0.*, tp.topic, tp.g AS topic_g, tp.category_id, tp.tags AS topic_tags, ty.id AS type_id,
    $6::float8 - t0.created_s AS age_s,
    (CASE
      WHEN $6::float8 - t0.created_s < 14 * 86400 THEN CASE
        WHEN rs < .15 THEN 'NEW' WHEN rs < .50 THEN 'OPEN' WHEN rs < .65 THEN 'PENDING'
        WHEN rs < .70 THEN 'ON_HOLD' WHEN rs < .90 THEN 'RESOLVED' ELSE 'CLOSED' END
      WHEN $6::float8 - t0.created_s < 90 * 86400 THEN CASE
        WHEN rs < .03 THEN 'OPEN' WHEN rs < .06 THEN 'PENDING' WHEN rs < .07 THEN 'ON_HOLD'
        WHEN rs < .17 THEN 'RESOLVED' ELSE 'CLOSED' END
      ELSE CASE
        WHEN rs < .004 THEN 'OPEN' WHEN rs < .008 THEN 'PENDING' WHEN rs < .01 THEN 'ON_HOLD'
        WHEN rs < .02 THEN 'RESOLVED' ELSE 'CLOSED' END
    END)::"TicketStatus" AS status,
    (CASE WHEN rp < .20 THEN 'LOW' WHEN rp < .75 THEN 'MEDIUM' WHEN rp < .95 THEN 'HIGH'
          ELSE 'CRITICAL' END)::"TicketPriority" AS priority,
    (CASE WHEN rsrc < .40 THEN 'EMAIL' WHEN rsrc < .70 THEN 'PORTAL' WHEN rsrc < .85 THEN 'AGENT'
          WHEN rsrc < .90 THEN 'API' WHEN rsrc < .95 THEN 'FORM' ELSE 'CHAT' END)::"TicketSource" AS source
  FROM t0
  JOIN bench_topic_slot ts ON ts.slot = t0.topic_slot
  JOIN bench_topic tp ON tp.topic = ts.topic
  JOIN bench_type_slot ty ON ty.slot = t0.type_slot
), t2 AS MATERIALIZED (
  SELECT t1.*,
    CASE WHEN rg < .01 OR (status = 'NEW' AND rg < .4) THEN NULL ELSE topic_g END AS g,
    CASE WHEN status IN ('RESOLVED', 'CLOSED')
         THEN least(age_s * .9, 600 + (-ln(1 - rd) * 30 * 3600))
         ELSE age_s * rd END AS dur_s
  FROM t1
), t AS MATERIALIZED (
  SELECT t2.*, grp.id AS group_id,
    CASE WHEN status = 'NEW' THEN NULL ELSE coalesce(ga.user_id, aa.user_id) END AS assignee_id,
    rq_.id AS requester_id,
    to_timestamp(created_s) AT TIME ZONE 'UTC' AS created_at,
    CASE WHEN status <> 'NEW'
         THEN to_timestamp(created_s + dur_s / (ecount + 1)) AT TIME ZONE 'UTC' END AS first_response_at,
    CASE WHEN status IN ('RESOLVED', 'CLOSED')
         THEN to_timestamp(created_s + dur_s) AT TIME ZONE 'UTC' END AS resolved_at,
    CASE WHEN status = 'CLOSED'
         THEN to_timestamp(created_s + dur_s + least(3 * 86400, (age_s - dur_s) * .9)) AT TIME ZONE 'UTC' END AS closed_at,
    to_timestamp(created_s + dur_s + CASE WHEN status = 'CLOSED' THEN least(3 * 86400, (age_s - dur_s) * .9) ELSE 0 END)
      AT TIME ZONE 'UTC' AS updated_at,
    subj.s AS subject,
    p1.s || ' ' || p2.s || CASE WHEN rt < .3 THEN ' ' || w.s ELSE '' END
      || coalesce(' ' || at.tag, '') AS description,
    subj.a || p1.b || p2.b || CASE WHEN rt < .3 THEN w.b ELSE '' END
      || coalesce(setweight(to_tsvector('english', at.tag), 'B'), '') AS head,
    topic_tags
      || CASE WHEN rt < .03 THEN ARRAY['vip'] WHEN rt > .97 THEN ARRAY['follow-up'] ELSE '{}'::text[] END AS tags
  FROM t2
  LEFT JOIN bench_group grp ON grp.g = t2.g
  LEFT JOIN bench_group_agent ga ON ga.g = t2.g AND ga.k = floor(t2.ra * grp.size)::int
  JOIN bench_agent aa ON aa.k = floor(t2.ra * $7::int)::int
  JOIN bench_req rq_ ON rq_.i = floor(power(t2.rq, 1.5) * $8::int)::int
  JOIN bench_sentence subj ON subj.pool = 2 * t2.topic AND subj.k = t2.sk
  JOIN bench_sentence p1 ON p1.pool = 2 * t2.topic + 1 AND p1.k = t2.d1
  JOIN bench_sentence p2 ON p2.pool = 2 * t2.topic + 1 AND p2.k = t2.d2
  JOIN bench_sentence w ON w.pool = ${POOL.words} AND w.k = t2.wk
  CROSS JOIN LATERAL (SELECT CASE WHEN t2.rt > .8
    THEN 'Asset tag LT-' || (10000 + floor(t2.rd * 89999))::int END AS tag) at
), e0 AS MATERIALIZED (
  SELECT t.id AS tid, t.topic, t.requester_id, t.assignee_id, t.created_s, t.dur_s, t.ecount, k,
    CASE WHEN t.status = 'NEW' OR k % 2 = 0 THEN 'R' WHEN random() < .35 THEN 'N' ELSE 'A' END AS who,
    random() AS rw,
    floor(random() * ${POOL_SIZE})::int AS a1, floor(random() * ${POOL_SIZE})::int AS a2,
    floor(random() * ${POOL_SIZE})::int AS a3
  FROM t, generate_series(1, t.ecount) AS k
), e AS MATERIALIZED (
  SELECT gen_random_uuid() AS id, e0.tid, e0.k,
    (CASE WHEN who = 'N' THEN 'NOTE' ELSE 'REPLY' END)::"EntryKind" AS kind,
    CASE WHEN who = 'R' THEN requester_id ELSE assignee_id END AS author_id,
    (CASE WHEN who = 'R' THEN CASE WHEN rw < .6 THEN 'EMAIL' ELSE 'PORTAL' END ELSE 'AGENT' END)::"TicketSource" AS source,
    to_timestamp(created_s + dur_s * e0.k / (ecount + 1)) AT TIME ZONE 'UTC' AS created_at,
    s1.s
      || CASE WHEN rw < .5 THEN ' ' || s2.s ELSE '' END
      || CASE WHEN who = 'A' THEN ' ' || s3.s WHEN rw > .8 THEN ' ' || w.s ELSE '' END AS body,
    s1.c || CASE WHEN rw < .5 THEN s2.c ELSE '' END
      || CASE WHEN who = 'A' THEN s3.c WHEN rw > .8 THEN w.c ELSE '' END AS tsv
  FROM e0
  JOIN bench_sentence s1 ON s1.k = e0.a1
   AND s1.pool = CASE who WHEN 'A' THEN ${POOL.agent} WHEN 'R' THEN ${POOL.requester} ELSE ${POOL.note} END
  JOIN bench_sentence s2 ON s2.pool = 2 * e0.topic + 1 AND s2.k = e0.a2
  JOIN bench_sentence s3 ON s3.pool = ${POOL.closing} AND s3.k = e0.a3
  JOIN bench_sentence w ON w.pool = ${POOL.words} AND w.k = e0.a3
), conv AS MATERIALIZED (
  SELECT tid, pg_temp.bench_tsv_agg(tsv ORDER BY k) AS v FROM e GROUP BY tid
), ts AS MATERIALIZED (
  SELECT t.id, t.head || coalesce(conv.v, ''::tsvector) AS search
  FROM t LEFT JOIN conv ON conv.tid = t.id
), ins_t AS (
  INSERT INTO "Ticket" (id, number, subject, description, "descriptionHtml", status, priority, source,
    "typeId", "categoryId", "requesterId", "assigneeId", "groupId", tags, "customFields", version,
    "accessToken", "firstResponseAt", "resolvedAt", "closedAt", "createdAt", "updatedAt", search)
  SELECT t.id, 1000 + t.n, t.subject, t.description, '<p>' || t.description || '</p>', t.status,
    t.priority, t.source, t.type_id, t.category_id, t.requester_id, t.assignee_id, t.group_id, t.tags,
    '{}', 1 + (t.status <> 'NEW')::int + (t.status IN ('PENDING', 'ON_HOLD', 'RESOLVED', 'CLOSED'))::int
      + (t.status = 'CLOSED')::int,
    md5(random()::text) || t.n, t.first_response_at, t.resolved_at, t.closed_at, t.created_at,
    t.updated_at, ts.search
  FROM t JOIN ts ON ts.id = t.id
  RETURNING 1
), ins_e AS (
  INSERT INTO "TicketEntry" (id, "ticketId", "authorId", kind, body, "bodyHtml", source, mentions, "createdAt")
  SELECT id, tid, author_id, kind, body, '<p>' || body || '</p>', source, '{}', created_at FROM e
  RETURNING 1
), ins_h AS (
  INSERT INTO "TicketEvent" ("ticketId", "actorId", field, "fromValue", "toValue", "createdAt")
  SELECT t.id, x.actor, x.field, x.fv, x.tv, x.at FROM t CROSS JOIN LATERAL (VALUES
    (CASE WHEN t.source IN ('AGENT', 'API') THEN t.assignee_id ELSE t.requester_id END,
       'created', NULL, t.source::text, t.created_at),
    (NULL::uuid, CASE WHEN t.assignee_id IS NOT NULL THEN 'assignee' END, NULL, t.assignee_id::text,
       t.created_at + interval '1 minute'),
    (t.assignee_id, CASE WHEN t.status <> 'NEW' THEN 'status' END, 'NEW', 'OPEN', t.first_response_at),
    (t.assignee_id, CASE WHEN t.status IN ('PENDING', 'ON_HOLD') THEN 'status' END, 'OPEN',
       t.status::text, t.updated_at),
    (t.assignee_id, CASE WHEN t.status IN ('RESOLVED', 'CLOSED') THEN 'status' END, 'OPEN',
       'RESOLVED', t.resolved_at),
    (NULL::uuid, CASE WHEN t.status = 'CLOSED' THEN 'status' END, 'RESOLVED', 'CLOSED', t.closed_at)
  ) AS x(actor, field, fv, tv, at)
  WHERE x.field IS NOT NULL
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins_t)::int AS tickets, (SELECT count(*) FROM ins_e)::int AS entries,
       (SELECT count(*) FROM ins_h)::int AS events`;

/** Plain secondary indexes of the bulk-loaded tables (not primary keys, unique or constraints). */
async function secondaryIndexes(c: pg.Client): Promise<{ name: string; def: string }[]> {
	const r = await c.query<{ name: string; def: string }>(
		`SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
		 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		 WHERE t.relname IN ('Ticket', 'TicketEntry', 'TicketEvent') AND t.relnamespace = 'public'::regnamespace
		   AND NOT x.indisunique AND NOT x.indisprimary
		   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)
		 ORDER BY i.relname`
	);
	return r.rows;
}

async function sessionFor(url: string, requesters: number): Promise<pg.Client> {
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	await c.query(`SET temp_buffers = '64MB'`);
	await c.query(`SET work_mem = '256MB'`);
	await c.query(`SET synchronous_commit = off`);
	await c.query(`SET jit = off`);
	// Skips user triggers and foreign-key checks in this session (superuser): the statement
	// writes the search vector itself, and its references are correct by construction.
	await c.query(`SET session_replication_role = replica`);
	await lookups(c, requesters, false);
	return c;
}

/**
 * Seeds (or finishes seeding) the database at `url`. Returns at once when a previous run
 * completed with the same size. Secondary indexes of the three big tables are dropped during the
 * load and rebuilt from their recorded definitions afterwards (much faster than maintaining
 * them row by row, GIN above all); a resumed run finds the definitions in the meta row.
 */
export async function seedTickets(url: string, opts: SeedOptions): Promise<SeedResult> {
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	try {
		let meta = await readMeta(c);
		if (meta?.done) {
			if (meta.tickets !== opts.tickets) {
				throw new Error(
					`The bench database holds ${meta.tickets} seeded tickets, not ${opts.tickets}: use another BENCH_DATA_DIR.`
				);
			}
			return { meta, seconds: 0, skipped: true };
		}
		const t0 = performance.now();
		if (!meta) {
			const now = Math.floor(Date.now() / 1000);
			meta = {
				tickets: opts.tickets,
				requesters: opts.requesters,
				start: now - YEARS * 365 * 86400,
				now,
				done: false
			};
		}
		meta.indexes ??= await secondaryIndexes(c);
		await writeMeta(c, meta);
		// Fewer checkpoints while loading (this cluster is the benchmark's own).
		await c.query(`ALTER SYSTEM SET max_wal_size = '8GB'`);
		await c.query(`SELECT pg_reload_conf()`);
		await c.query(`SET session_replication_role = replica`);
		await seedPeople(c, meta.requesters);
		await lookups(c, meta.requesters, true);
		for (const ix of meta.indexes) await c.query(`DROP INDEX IF EXISTS "${ix.name}"`);

		const chunks: [number, number][] = [];
		for (let from = 1; from <= meta.tickets; from += opts.chunk) {
			chunks.push([from, Math.min(meta.tickets, from + opts.chunk - 1)]);
		}
		const done = await c.query<{ number: number }>(
			`SELECT number FROM "Ticket" WHERE number = ANY($1::int[])`,
			[chunks.map(([, to]) => 1000 + to)]
		);
		const finished = new Set(done.rows.map((r) => r.number - 1000));
		const todo = chunks.filter(([, to]) => !finished.has(to));
		if (finished.size) opts.log(`resuming: ${finished.size} of ${chunks.length} chunks are done`);

		const span = meta.now - meta.start;
		const m = meta;
		let entries = 0;
		let tickets = finished.size ? (chunks.length - todo.length) * opts.chunk : 0;
		const worker = async () => {
			const w = await sessionFor(url, m.requesters);
			try {
				for (let next = todo.shift(); next; next = todo.shift()) {
					const [from, to] = next;
					const tc = performance.now();
					const r = await w.query<{ tickets: number; entries: number; events: number }>(CHUNK_SQL, [
						from,
						to,
						m.start,
						span,
						m.tickets,
						m.now,
						AGENTS,
						m.requesters
					]);
					const row = r.rows[0]!;
					entries += row.entries;
					tickets += row.tickets;
					opts.log(
						`tickets ${from.toLocaleString('en')}–${to.toLocaleString('en')} ` +
							`(+${row.entries} entries, +${row.events} events) in ` +
							`${((performance.now() - tc) / 1000).toFixed(1)} s; ` +
							`${Math.min(tickets, m.tickets).toLocaleString('en')}/${m.tickets.toLocaleString('en')} ` +
							`after ${((performance.now() - t0) / 1000).toFixed(0)} s`
					);
				}
			} finally {
				await w.end();
			}
		};
		await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, worker));

		// One ticket in 200 merged into the one before it (hidden from lists by default).
		await c.query(
			`UPDATE "Ticket" t SET "mergedIntoId" = o.id FROM "Ticket" o
			 WHERE t.number % 200 = 7 AND o.number = t.number - 1 AND t."mergedIntoId" IS NULL`
		);
		await c.query(`SET maintenance_work_mem = '1GB'`);
		for (const ix of meta.indexes) {
			const ti = performance.now();
			await c.query(ix.def.replace(/^CREATE (UNIQUE )?INDEX /, '$&IF NOT EXISTS '));
			opts.log(`index ${ix.name} in ${((performance.now() - ti) / 1000).toFixed(1)} s`);
		}
		await c.query(`SET session_replication_role = origin`);
		await c.query(`UPDATE "Counter" SET value = $1 WHERE name = 'ticket' AND value < $1`, [
			1000 + meta.tickets
		]);
		opts.log(`vacuum and analyze (${entries.toLocaleString('en')} entries this run)…`);
		for (const table of ['Ticket', 'TicketEntry', 'TicketEvent', 'SearchWord', 'User']) {
			await c.query(`VACUUM (ANALYZE) "${table}"`);
		}
		await c.query(`ALTER SYSTEM RESET max_wal_size`);
		await c.query(`SELECT pg_reload_conf()`);
		const seconds = Math.round((performance.now() - t0) / 1000);
		meta = { ...meta, done: true, seconds: (meta.seconds ?? 0) + seconds };
		await writeMeta(c, meta);
		return { meta, seconds, skipped: false };
	} finally {
		await c.end();
	}
}
