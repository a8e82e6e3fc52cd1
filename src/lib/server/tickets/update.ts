import { afterRules, runRules } from '../automation/engine';
import { nudgeMail, queueTicketMail, sendingAccounts } from '../mail/outbound';
import { db } from '../db/client';
import { AppError, forbidden, notFound } from '../errors';
import { notify } from '../identity/notifications';
import { validateCustomFields } from './custom-fields';
import { pickAssignee } from './assignment';
import { publishUpdated } from './live';
import { applySla } from '../sla/apply';
import { renderMarkdown } from './markdown';
import { requireAgent, requireRef, requireUser } from './people';
import { ticketUpdateSchema, type TicketStatusName, type TicketUpdateInput } from './schemas';
import { ticketSelect, type TicketRow } from './select';
import { ticketKey, type Scope } from './access';
import type { Prisma } from '../db/generated/client';

type Tx = Prisma.TransactionClient;

/** Timestamps that follow a status change (reopening clears them). */
/** Changes that can move a ticket's SLA: another policy, another target, a paused clock. */
const SLA_FIELDS: readonly string[] = [
	'priority',
	'status',
	'typeId',
	'groupId',
	'categoryId',
	'requesterId'
];

export function statusTimestamps(
	from: TicketStatusName,
	to: TicketStatusName,
	now = new Date()
): { resolvedAt?: Date | null; closedAt?: Date | null } {
	if (from === to) return {};
	if (to === 'RESOLVED') return { resolvedAt: now, closedAt: null };
	if (to === 'CLOSED')
		return from === 'RESOLVED' ? { closedAt: now } : { resolvedAt: now, closedAt: now };
	if (from === 'RESOLVED' || from === 'CLOSED') return { resolvedAt: null, closedAt: null };
	return {};
}

const stringify = (v: unknown): string | null =>
	v === null || v === undefined
		? null
		: Array.isArray(v)
			? v.join(', ')
			: typeof v === 'object'
				? JSON.stringify(v)
				: String(v);

/** The "changed by X just now" conflict, naming whoever saved last. */
async function conflict(ticketId: string): Promise<AppError> {
	// SLA rows are consequences of the change, written right after it: look past them.
	const last = await db().ticketEvent.findFirst({
		where: { ticketId, field: { not: 'sla' } },
		orderBy: { id: 'desc' },
		select: { createdAt: true, field: true, via: true, actor: { select: { name: true } } }
	});
	const who =
		last?.actor?.name ??
		(last?.via?.startsWith('rule: ')
			? `the automation rule "${last.via.slice(6)}"`
			: last?.field === 'escalation'
				? 'an SLA escalation'
				: 'someone else');
	const secs = last ? Math.max(0, Math.round((Date.now() - last.createdAt.getTime()) / 1000)) : 0;
	const when = secs < 60 ? 'just now' : `${Math.round(secs / 60)} min ago`;
	return new AppError(
		'CONFLICT',
		`This ticket was changed by ${who} ${when}. Reload to see their changes; nothing was overwritten.`
	);
}

const FIELDS = [
	'subject',
	'description',
	'status',
	'priority',
	'typeId',
	'categoryId',
	'requesterId',
	'assigneeId',
	'groupId',
	'tags',
	'customFields'
] as const;
type Field = (typeof FIELDS)[number];
/** History names fields without the "Id". */
const historyName = (f: Field) => f.replace(/Id$/, '');

async function checkRefs(tx: Tx, patch: Partial<Record<Field, unknown>>) {
	if (typeof patch.typeId === 'string') await requireRef(tx, 'type', patch.typeId);
	if (typeof patch.categoryId === 'string') await requireRef(tx, 'category', patch.categoryId);
	if (typeof patch.groupId === 'string') await requireRef(tx, 'group', patch.groupId);
	if (typeof patch.assigneeId === 'string') await requireAgent(tx, patch.assigneeId);
	if (typeof patch.requesterId === 'string')
		await requireUser(tx, patch.requesterId, 'requesterId');
}

/** Statuses the requester hears about by mail. */
const MAILED_STATUSES: readonly string[] = ['PENDING', 'RESOLVED', 'CLOSED'];

/** Mail the change causes: a status the requester should know, an assignment to someone else. */
async function mailFor(
	tx: Tx,
	ticketId: string,
	patch: Partial<Record<Field, unknown>>,
	viewerId: string
): Promise<number> {
	const status = patch.status as string | undefined;
	const assignee = patch.assigneeId as string | null | undefined;
	if (!(status && MAILED_STATUSES.includes(status)) && !(assignee && assignee !== viewerId))
		return 0;
	const accounts = await sendingAccounts(tx);
	if (!accounts.length) return 0;
	let n = 0;
	if (status && MAILED_STATUSES.includes(status))
		n += await queueTicketMail(tx, { kind: 'ticket.status', ticketId }, accounts);
	if (assignee && assignee !== viewerId)
		n += await queueTicketMail(
			tx,
			{ kind: 'ticket.assigned', ticketId, assigneeId: assignee },
			accounts
		);
	return n;
}

/** The changes as rule conditions name them ('group', 'custom.<key>'). */
function changesOf(
	current: Record<Field, unknown>,
	patch: Partial<Record<Field, unknown>>
): Record<string, { from: unknown; to: unknown }> {
	const out: Record<string, { from: unknown; to: unknown }> = {};
	for (const f of Object.keys(patch) as Field[]) {
		if (f !== 'customFields') {
			out[historyName(f)] = { from: current[f], to: patch[f] };
			continue;
		}
		const before = (current.customFields ?? {}) as Record<string, unknown>;
		const after = (patch.customFields ?? {}) as Record<string, unknown>;
		for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
			if (stringify(before[key]) !== stringify(after[key]))
				out[`custom.${key}`] = { from: before[key] ?? null, to: after[key] ?? null };
		}
	}
	return out;
}

/**
 * Changes a ticket's properties (staff). Optimistic concurrency: the update names the version it
 * read and applies only if nobody saved in between; otherwise CONFLICT and nothing is written.
 * Each changed field becomes a history row in the same transaction.
 */
export async function updateTicket(scope: Scope, raw: TicketUpdateInput): Promise<TicketRow> {
	if (!scope.staff) throw forbidden();
	const { ticket: ref, version, ...input } = ticketUpdateSchema.parse(raw);
	const current = await db().ticket.findFirst({
		where: { AND: [ticketKey(ref), scope.where] },
		select: {
			id: true,
			number: true,
			version: true,
			subject: true,
			description: true,
			status: true,
			priority: true,
			typeId: true,
			categoryId: true,
			requesterId: true,
			assigneeId: true,
			groupId: true,
			tags: true,
			customFields: true,
			mergedIntoId: true
		}
	});
	if (!current) throw notFound('Ticket not found.');
	if (version !== undefined && version !== current.version) throw await conflict(current.id);

	const patch: Partial<Record<Field, unknown>> = {};
	for (const f of FIELDS) {
		const next = input[f];
		if (next === undefined) continue;
		if (f === 'customFields') continue;
		if (stringify(next) !== stringify(current[f])) patch[f] = next;
	}
	if (input.customFields !== undefined) {
		const typeId = (patch.typeId as string | null | undefined) ?? current.typeId;
		const merged = await validateCustomFields(input.customFields, {
			typeId,
			previous: current.customFields as Record<string, unknown>
		});
		if (JSON.stringify(merged) !== JSON.stringify(current.customFields))
			patch.customFields = merged;
	}
	const changed = Object.keys(patch) as Field[];
	if (changed.length === 0) {
		return db().ticket.findUniqueOrThrow({ where: { id: current.id }, select: ticketSelect });
	}

	const result = await db().$transaction(async (tx) => {
		await checkRefs(tx, patch);
		// A new group without an assignee: that group's automatic assignment applies.
		if (patch.groupId && patch.assigneeId === undefined && !current.assigneeId) {
			const auto = await pickAssignee(tx, patch.groupId as string);
			if (auto) patch.assigneeId = auto;
		}
		const status = (patch.status as TicketStatusName | undefined) ?? current.status;
		const data: Prisma.TicketUncheckedUpdateManyInput = {
			...(patch as Prisma.TicketUncheckedUpdateManyInput),
			...(patch.description !== undefined
				? { descriptionHtml: renderMarkdown(patch.description as string) }
				: {}),
			...statusTimestamps(current.status, status),
			version: { increment: 1 }
		};
		const res = await tx.ticket.updateMany({
			where: { id: current.id, version: current.version },
			data
		});
		if (res.count === 0) return null;
		await tx.ticketEvent.createMany({
			data: (Object.keys(patch) as Field[]).map((f) => ({
				ticketId: current.id,
				actorId: scope.viewer.id,
				field: historyName(f),
				fromValue: f === 'description' ? null : stringify(current[f]),
				toValue: f === 'description' ? null : stringify(patch[f])
			}))
		});
		const slaWhy = (Object.keys(patch) as Field[])
			.filter((f) => SLA_FIELDS.includes(f))
			.map(
				(f) => `${historyName(f)} ${stringify(current[f]) ?? '—'} → ${stringify(patch[f]) ?? '—'}`
			);
		if (slaWhy.length) await applySla(tx, current.id, slaWhy.join(', '));
		const automation = await runRules(tx, current.id, 'UPDATED', {
			actorId: scope.viewer.id,
			changes: changesOf(current, patch)
		});
		const mailed = await mailFor(tx, current.id, patch, scope.viewer.id);
		const row = await tx.ticket.findUniqueOrThrow({
			where: { id: current.id },
			select: { ...ticketSelect, groupId: true, assigneeId: true, requesterId: true }
		});
		return { row, automation, mailed };
	});
	if (!result) throw await conflict(current.id);

	const { groupId, assigneeId, requesterId, ...ticket } = result.row;
	const ruleFields = [...(result.automation?.fx.changed.keys() ?? [])];
	await publishUpdated(
		{ id: ticket.id, number: ticket.number, groupId, assigneeId, requesterId },
		scope.viewer.id,
		[...new Set([...Object.keys(patch), ...ruleFields].map((f) => historyName(f as Field)))]
	);
	await afterRules(result.automation, { announce: false });
	if (result.mailed) await nudgeMail();
	// Tell the previous audience too when the ticket moved out of it (lists drop the row).
	if (patch.groupId !== undefined || patch.assigneeId !== undefined) {
		if (current.groupId !== groupId || current.assigneeId !== assigneeId) {
			await publishUpdated(
				{
					id: ticket.id,
					number: ticket.number,
					groupId: current.groupId,
					assigneeId: current.assigneeId,
					requesterId
				},
				scope.viewer.id,
				['moved']
			);
		}
	}
	const newAssignee = patch.assigneeId !== undefined || ruleFields.includes('assigneeId');
	if (
		assigneeId &&
		newAssignee &&
		assigneeId !== current.assigneeId &&
		assigneeId !== scope.viewer.id
	) {
		await notify(assigneeId, {
			type: 'ticket.assigned',
			title: `#${ticket.number} was assigned to you`,
			body: ticket.subject,
			link: `/app/tickets/${ticket.number}`
		});
	}
	return ticket;
}
