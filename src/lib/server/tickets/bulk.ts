import { z } from 'zod';
import { db } from '../db/client';
import { log } from '../log';
import { AppError, forbidden } from '../errors';
import { requireAgent, requireRef } from './people';
import { listSelect } from './list';
import { prioritySchema, statusSchema, tagsSchema } from './schemas';
import { updateTicket } from './update';
import type { Scope } from './access';

/**
 * Bulk changes from the ticket list: one patch applied to up to 500 tickets. The scope check
 * returns the ids the caller may change; each of those goes through `updateTicket` (history,
 * live events, notifications, concurrency), so a bulk change is exactly N single changes.
 * Tickets the caller may not see are reported without their number (their existence is not
 * revealed); a ticket that fails is skipped with the reason and the others still apply.
 */
export const MAX_BULK = 500;

export const bulkUpdateSchema = z
	.object({
		ids: z
			.array(z.uuid('Unknown ticket.'), { error: 'Choose tickets.' })
			.min(1, 'Choose at least one ticket.')
			.max(MAX_BULK, `At most ${MAX_BULK} tickets at once.`),
		assigneeId: z.uuid('Choose a valid assignee.').nullish(),
		groupId: z.uuid('Choose a valid group.').nullish(),
		status: statusSchema.optional(),
		priority: prioritySchema.optional(),
		addTags: tagsSchema.optional(),
		removeTags: tagsSchema.optional()
	})
	.refine(
		(v) =>
			v.assigneeId !== undefined ||
			v.groupId !== undefined ||
			v.status !== undefined ||
			v.priority !== undefined ||
			!!v.addTags?.length ||
			!!v.removeTags?.length,
		{ message: 'Choose a change to apply.', path: ['_form'] }
	);
export type BulkUpdateInput = z.input<typeof bulkUpdateSchema>;

export interface BulkSkip {
	id: string;
	/** Null when the caller may not see the ticket. */
	number: number | null;
	reason: string;
}
export interface BulkResult {
	/** Tickets changed. */
	updated: number;
	/** Tickets that already had every value (nothing written). */
	unchanged: number;
	skipped: BulkSkip[];
}

interface Target {
	id: string;
	number: number;
	version: number;
	tags: string[];
	mergedIntoId: string | null;
}

/** The scope check: which of `ids` the caller may see, with what the patch needs. */
export async function allowedTickets(scope: Scope, ids: string[]): Promise<Target[]> {
	return db().ticket.findMany({
		where: { AND: [{ id: { in: ids } }, scope.where] },
		select: { id: true, number: true, version: true, tags: true, mergedIntoId: true },
		orderBy: { number: 'asc' }
	});
}

/**
 * The list rows of the given tickets (those the caller may see), with their versions: a list
 * refreshes rows that changed live, and edits them in place, without reloading the page.
 */
export async function ticketRows(scope: Scope, ids: string[]) {
	return db().ticket.findMany({
		where: { AND: [{ id: { in: ids } }, scope.where] },
		select: { ...listSelect, version: true }
	});
}

const nextTags = (tags: string[], add: string[] = [], remove: string[] = []) => {
	const drop = new Set(remove);
	return [...new Set([...tags, ...add])].filter((t) => !drop.has(t)).slice(0, 20);
};

/** Runs `fn` over `items`, at most `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
	let next = 0;
	const worker = async () => {
		while (next < items.length) await fn(items[next++]!);
	};
	await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

export async function bulkUpdate(scope: Scope, raw: BulkUpdateInput): Promise<BulkResult> {
	if (!scope.staff) throw forbidden();
	const { ids, addTags, removeTags, ...patch } = bulkUpdateSchema.parse(raw);
	// The same references for every ticket: checked once, so one bad id is one clear error.
	if (patch.assigneeId) await requireAgent(db(), patch.assigneeId);
	if (patch.groupId) await requireRef(db(), 'group', patch.groupId);

	const unique = [...new Set(ids)];
	const targets = await allowedTickets(scope, unique);
	const seen = new Set(targets.map((t) => t.id));
	const skipped: BulkSkip[] = unique
		.filter((id) => !seen.has(id))
		.map((id) => ({ id, number: null, reason: 'Not found, or not visible to you.' }));
	const merged = await mergedNumbers(targets);
	let updated = 0;
	let unchanged = 0;

	await pool(targets, 4, async (t) => {
		if (t.mergedIntoId) {
			skipped.push({
				id: t.id,
				number: t.number,
				reason: `Merged into #${merged.get(t.mergedIntoId) ?? '?'}.`
			});
			return;
		}
		const withTags = addTags?.length || removeTags?.length;
		// Tags are read-modify-write: name the version read, and on a concurrent change read again.
		for (let attempt = 0, cur = t; ; attempt++) {
			try {
				const after = await updateTicket(scope, {
					ticket: cur.id,
					...patch,
					...(withTags
						? { version: cur.version, tags: nextTags(cur.tags, addTags, removeTags) }
						: {})
				});
				if (after.version === cur.version) unchanged++;
				else updated++;
				return;
			} catch (err) {
				if (err instanceof AppError && err.code === 'CONFLICT' && withTags && attempt < 2) {
					const [fresh] = await allowedTickets(scope, [cur.id]);
					if (fresh) {
						cur = fresh;
						continue;
					}
				}
				skipped.push({ id: t.id, number: t.number, reason: reasonOf(err) });
				return;
			}
		}
	});
	skipped.sort((a, b) => (a.number ?? Infinity) - (b.number ?? Infinity));
	return { updated, unchanged, skipped };
}

async function mergedNumbers(targets: Target[]): Promise<Map<string, number>> {
	const ids = [...new Set(targets.map((t) => t.mergedIntoId).filter((id) => id !== null))];
	if (!ids.length) return new Map();
	const rows = await db().ticket.findMany({
		where: { id: { in: ids } },
		select: { id: true, number: true }
	});
	return new Map(rows.map((r) => [r.id, r.number]));
}

function reasonOf(err: unknown): string {
	if (err instanceof AppError) return err.message;
	if (err instanceof z.ZodError) return err.issues[0]?.message ?? 'Not a valid change.';
	// One ticket's unexpected failure must not stop the others half-way: logged, reported.
	log.error({ err }, 'bulk ticket update failed');
	return 'Could not be changed because of an error on our side.';
}
