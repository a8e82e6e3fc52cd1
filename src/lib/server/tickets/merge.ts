import { z } from 'zod';
import { db } from '../db/client';
import { AppError, forbidden, notFound } from '../errors';
import { ticketKey, type Scope } from './access';
import { publishUpdated } from './live';
import { renderMarkdown } from './markdown';
import { ticketRefSchema, type TicketStatusName } from './schemas';
import { statusTimestamps } from './update';
import { applySla } from '../sla/apply';

export const mergeSchema = z.object({
	target: ticketRefSchema,
	sources: z
		.array(ticketRefSchema, { error: 'Choose the tickets to merge.' })
		.min(1, 'Choose at least one ticket to merge.')
		.max(20, 'Merge at most 20 tickets at once.')
});
export type MergeInput = z.input<typeof mergeSchema>;

const MAX_TAGS = 20;

const mergeFacts = {
	id: true,
	number: true,
	status: true,
	tags: true,
	groupId: true,
	assigneeId: true,
	requesterId: true,
	mergedInto: { select: { number: true } }
} as const;

const list = (numbers: number[]) => numbers.map((n) => `#${n}`).join(', ');

/**
 * Merges duplicates into one ticket (staff). In one transaction: the sources' conversation and
 * attachments move to the target (entries keep their dates; the search triggers re-index both
 * sides), watchers and tags are combined, each side gets an internal note and history rows, and
 * every source is closed and points at the target. Tickets already merged elsewhere are refused.
 */
export async function mergeTickets(scope: Scope, raw: MergeInput) {
	if (!scope.staff) throw forbidden();
	const input = mergeSchema.parse(raw);
	const find = async (ref: string | number) => {
		const t = await db().ticket.findFirst({
			where: { AND: [ticketKey(ref), scope.where] },
			select: mergeFacts
		});
		if (!t) throw notFound(`Ticket ${typeof ref === 'number' ? `#${ref}` : ref} not found.`);
		return t;
	};
	const target = await find(input.target);
	const sources: (typeof target)[] = [];
	const seen = new Set<string>();
	for (const ref of input.sources) {
		const s = await find(ref);
		if (seen.has(s.id)) continue;
		seen.add(s.id);
		sources.push(s);
	}
	if (sources.some((s) => s.id === target.id)) {
		throw new AppError('BAD_REQUEST', 'A ticket cannot be merged into itself.', {
			sources: ['A ticket cannot be merged into itself.']
		});
	}
	if (target.mergedInto) {
		throw new AppError(
			'CONFLICT',
			`#${target.number} was itself merged into #${target.mergedInto.number}. Merge into that ticket instead.`
		);
	}
	const already = sources.find((s) => s.mergedInto);
	if (already) {
		throw new AppError(
			'CONFLICT',
			`#${already.number} was already merged into #${already.mergedInto!.number}.`
		);
	}

	const actorId = scope.viewer.id;
	const sourceIds = sources.map((s) => s.id);
	const numbers = sources.map((s) => s.number);
	const tags = [...new Set([...target.tags, ...sources.flatMap((s) => s.tags)])].slice(0, MAX_TAGS);
	const tagsChanged = tags.join(',') !== target.tags.join(',');

	await db().$transaction(async (tx) => {
		// Lock every ticket involved (in id order, so concurrent merges cannot deadlock), then make
		// sure nobody merged any of them since we read them.
		const ids = [target.id, ...sourceIds].sort();
		const locked = await tx.$queryRaw<{ id: string; mergedIntoId: string | null }[]>`
			SELECT id, "mergedIntoId" FROM "Ticket" WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
		const moved = locked.find((t) => t.mergedIntoId !== null);
		if (moved) {
			const n = moved.id === target.id ? target.number : numbers[sourceIds.indexOf(moved.id)];
			throw new AppError('CONFLICT', `#${n} was merged by someone else just now. Reload.`);
		}

		await tx.ticketEntry.updateMany({
			where: { ticketId: { in: sourceIds } },
			data: { ticketId: target.id }
		});
		await tx.attachment.updateMany({
			where: { ticketId: { in: sourceIds } },
			data: { ticketId: target.id }
		});
		// Tickets merged earlier into a source now point at the target (merges stay one level).
		await tx.ticket.updateMany({
			where: { mergedIntoId: { in: sourceIds } },
			data: { mergedIntoId: target.id }
		});
		const watchers = await tx.ticketWatcher.findMany({
			where: { ticketId: { in: sourceIds } },
			select: { userId: true }
		});
		if (watchers.length) {
			await tx.ticketWatcher.createMany({
				data: [...new Set(watchers.map((w) => w.userId))].map((userId) => ({
					ticketId: target.id,
					userId
				})),
				skipDuplicates: true
			});
		}

		const note = (ticketId: string, body: string) =>
			tx.ticketEntry.create({
				data: {
					ticketId,
					authorId: actorId,
					kind: 'NOTE',
					body,
					bodyHtml: renderMarkdown(body),
					source: 'AGENT'
				}
			});
		await note(target.id, `Merged ${list(numbers)} into this ticket.`);
		await tx.ticket.update({
			where: { id: target.id },
			data: { version: { increment: 1 }, ...(tagsChanged ? { tags } : {}) }
		});
		await tx.ticketEvent.createMany({
			data: [
				{ ticketId: target.id, actorId, field: 'merged', toValue: list(numbers) },
				...(tagsChanged
					? [
							{
								ticketId: target.id,
								actorId,
								field: 'tags',
								fromValue: target.tags.join(', '),
								toValue: tags.join(', ')
							}
						]
					: [])
			]
		});

		for (const s of sources) {
			await note(s.id, `Merged into #${target.number}.`);
			const status: TicketStatusName = 'CLOSED';
			await tx.ticket.update({
				where: { id: s.id },
				data: {
					mergedIntoId: target.id,
					status,
					...statusTimestamps(s.status, status),
					version: { increment: 1 }
				}
			});
			await tx.ticketEvent.createMany({
				data: [
					{ ticketId: s.id, actorId, field: 'mergedInto', toValue: `#${target.number}` },
					...(s.status !== status
						? [{ ticketId: s.id, actorId, field: 'status', fromValue: s.status, toValue: status }]
						: [])
				]
			});
			if (s.status !== status) await applySla(tx, s.id, `merged into #${target.number}`);
		}
	});

	await publishUpdated(target, actorId, ['merged', ...(tagsChanged ? ['tags'] : [])]);
	for (const s of sources) await publishUpdated(s, actorId, ['mergedInto', 'status']);
	return { target: { id: target.id, number: target.number }, merged: numbers };
}
