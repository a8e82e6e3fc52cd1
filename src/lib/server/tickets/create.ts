import { afterRules, loadRules, runRules } from '../automation/engine';
import { nudgeMail, queueTicketMail, sendingAccounts } from '../mail/outbound';
import { can } from '$lib/permissions';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { notify } from '../identity/notifications';
import { attachToEntry } from './attachments';
import { validateCustomFields } from './custom-fields';
import { pickAssignee } from './assignment';
import { slaForNewTicket } from '../sla/apply';
import { publishCreated } from './live';
import { renderMarkdown } from './markdown';
import { newAccessToken, requesterByEmail, requireAgent, requireRef, requireUser } from './people';
import { ticketCreateSchema, type TicketCreateInput, type TicketSourceName } from './schemas';
import { ticketSelect, type TicketRow } from './select';
import type { Viewer } from './access';

export interface TicketActor {
	/** Null for the anonymous public form. */
	viewer: Viewer | null;
	ip?: string | null;
}

export interface CreateOptions {
	source: TicketSourceName;
	/** REST `Idempotency-Key`: the same key from the same user returns the same ticket. */
	idempotencyKey?: string;
	/** Anonymous authors (public form): attachment id → the claim its upload answered with. */
	claims?: Record<string, string>;
	/**
	 * Intake the helpdesk itself runs (mail): no signed-in viewer, yet the properties (group,
	 * type, priority, tags) are set as staff would, and the requester is named by email.
	 */
	trusted?: boolean;
	/** The description as HTML already safe to show (mail: sanitised), instead of rendering it. */
	descriptionHtml?: string;
	/** Runs inside the creating transaction (e.g. marking an inbound mail as turned into it). */
	within?: (tx: Prisma.TransactionClient, created: { ticketId: string }) => Promise<void>;
}

export interface Created {
	ticket: TicketRow;
	accessToken: string;
	/** True when an Idempotency-Key matched an earlier request. */
	replayed: boolean;
}

async function replay(userId: string, key: string): Promise<Created | null> {
	const hit = await db().idempotencyKey.findUnique({
		where: { userId_key: { userId, key } },
		select: { ticket: { select: { ...ticketSelect, accessToken: true } } }
	});
	if (!hit) return null;
	const { accessToken, ...ticket } = hit.ticket;
	return { ticket, accessToken, replayed: true };
}

/**
 * Opens a ticket. Staff may set every property and name any requester; end users open tickets
 * for themselves with the public properties only; the anonymous form names the requester by
 * email. The number comes from a counter row updated in the same transaction, so numbers are
 * gap-free however many tickets arrive at once.
 */
export async function createTicket(
	actor: TicketActor,
	raw: TicketCreateInput,
	opts: CreateOptions
): Promise<Created> {
	const input = ticketCreateSchema.parse(raw);
	const viewer = actor.viewer;
	const staff = viewer ? can(viewer.role, 'staff.use') : (opts.trusted ?? false);

	if (opts.idempotencyKey && viewer) {
		const earlier = await replay(viewer.id, opts.idempotencyKey);
		if (earlier) return earlier;
	}
	if (!staff) {
		// What requesters may not choose is ignored rather than refused: forms never offer it.
		Object.assign(input, {
			status: undefined,
			requesterId: undefined,
			assigneeId: undefined,
			groupId: undefined,
			tags: [],
			watcherIds: []
		});
		if (viewer) input.requester = undefined;
		else if (!input.requester) {
			throw new AppError('BAD_REQUEST', 'Your email address is required.', {
				'requester.email': ['Your email address is required.']
			});
		}
	}
	const customFields = await validateCustomFields(input.customFields, {
		typeId: input.typeId ?? null,
		publicOnly: !staff
	});
	const descriptionHtml = opts.descriptionHtml ?? renderMarkdown(input.description);

	try {
		const accessToken = newAccessToken();
		const created = await db().$transaction(async (tx) => {
			if (input.typeId) await requireRef(tx, 'type', input.typeId);
			if (input.categoryId) await requireRef(tx, 'category', input.categoryId);
			if (input.groupId) await requireRef(tx, 'group', input.groupId);
			if (input.assigneeId) await requireAgent(tx, input.assigneeId);
			if (input.requesterId) await requireUser(tx, input.requesterId, 'requesterId');

			const requesterId =
				input.requesterId ??
				(input.requester
					? await requesterByEmail(tx, input.requester.email, input.requester.name)
					: viewer!.id);

			const status = input.status ?? 'NEW';
			const resolvedAt = status === 'RESOLVED' || status === 'CLOSED' ? new Date() : null;
			const now = new Date();
			const sla = await slaForNewTicket(
				tx,
				{
					typeId: input.typeId ?? null,
					groupId: input.groupId ?? null,
					categoryId: input.categoryId ?? null,
					requesterId,
					status,
					priority: input.priority,
					resolvedAt
				},
				now
			);
			// The row starts with a placeholder number (a unique negative, see the migration
			// ticket_pending_numbers); the real one is taken last, below.
			const { id } = await tx.ticket.create({
				data: {
					subject: input.subject,
					description: input.description,
					descriptionHtml,
					status,
					priority: input.priority,
					source: opts.source,
					typeId: input.typeId ?? null,
					categoryId: input.categoryId ?? null,
					requesterId,
					assigneeId: input.assigneeId ?? null,
					groupId: input.groupId ?? null,
					tags: input.tags,
					customFields: customFields as object,
					accessToken,
					createdAt: now,
					resolvedAt,
					...(status === 'CLOSED' ? { closedAt: now } : {}),
					...sla?.fields
				},
				select: { id: true }
			});
			await tx.ticketEvent.createMany({
				data: [
					{ ticketId: id, actorId: viewer?.id ?? null, field: 'created', toValue: opts.source },
					...(sla ? [{ ticketId: id, actorId: null, field: 'sla', toValue: sla.history }] : [])
				]
			});
			const watchers = [...new Set(input.watcherIds)];
			if (watchers.length) {
				await tx.ticketWatcher.createMany({
					data: watchers.map((userId) => ({ ticketId: id, userId })),
					skipDuplicates: true
				});
			}
			if (input.attachmentIds.length) {
				await attachToEntry(tx, input.attachmentIds, {
					ticketId: id,
					entryId: null,
					uploaderId: viewer?.id ?? null,
					claims: opts.claims
				});
			}
			if (opts.idempotencyKey && viewer) {
				await tx.idempotencyKey.create({
					data: { userId: viewer.id, key: opts.idempotencyKey, ticketId: id }
				});
			}
			// Automatic assignment locks its group until commit: late, so tickets for one group
			// queue for as short a time as possible.
			if (!input.assigneeId && input.groupId) {
				const assigneeId = await pickAssignee(tx, input.groupId);
				if (assigneeId) {
					await tx.ticket.update({ where: { id }, data: { assigneeId }, select: { id: true } });
					await tx.ticketEvent.create({
						data: { ticketId: id, actorId: null, field: 'assignee', toValue: assigneeId }
					});
				}
			}
			if (opts.within) await opts.within(tx, { ticketId: id });
			// Rules are read before the number is taken (the counter stays locked from then on);
			// they run after it, so templates and webhook bodies carry the real number.
			const rules = await loadRules(tx, 'CREATED');
			const mailFrom = await sendingAccounts(tx);
			// Last, one statement: the gap-free number. The counter row stays locked until commit
			// (so a rolled-back ticket gives its number back); the audit row records the number.
			const [row] = await tx.$queryRaw<{ number: number }[]>`
				WITH c AS (
					UPDATE "Counter" SET value = value + 1 WHERE name = 'ticket' RETURNING value
				), t AS (
					UPDATE "Ticket" SET number = c.value FROM c WHERE "Ticket".id = ${id}::uuid
					RETURNING "Ticket".number
				)
				INSERT INTO "AuditLog" ("actorId", action, "entityType", "entityId", data, ip)
				SELECT ${viewer?.id ?? null}::uuid, 'ticket.create', 'Ticket', ${id},
					jsonb_build_object('number', t.number, 'source', ${opts.source}::text), ${actor.ip ?? null}
				FROM t
				RETURNING (data->>'number')::int AS number`;
			if (!row) throw new Error('The ticket counter row is missing.');
			const automation = rules.length
				? await runRules(tx, id, 'CREATED', { actorId: viewer?.id ?? null }, rules)
				: null;
			// The acknowledgement to the requester (not when staff open a ticket for themselves).
			const mailed =
				mailFrom.length && !(staff && requesterId === viewer?.id)
					? await queueTicketMail(tx, { kind: 'ticket.created', ticketId: id }, mailFrom)
					: 0;
			return { id, automation, mailed };
		});

		const full = await db().ticket.findUniqueOrThrow({
			where: { id: created.id },
			select: { ...ticketSelect, groupId: true, assigneeId: true, requesterId: true }
		});
		const { groupId, assigneeId, requesterId, ...ticket } = full;
		await publishCreated(
			{ id: ticket.id, number: ticket.number, groupId, assigneeId, requesterId },
			viewer?.id ?? null
		);
		// The announcement above already shows what rules changed.
		await afterRules(created.automation, { announce: false });
		if (created.mailed) await nudgeMail();
		if (assigneeId && assigneeId !== viewer?.id) {
			await notify(assigneeId, {
				type: 'ticket.assigned',
				title: `#${ticket.number} was assigned to you`,
				body: ticket.subject,
				link: `/app/tickets/${ticket.number}`
			});
		}
		return { ticket, accessToken, replayed: false };
	} catch (err) {
		// The same Idempotency-Key raced in from two requests: the loser returns the winner's ticket.
		if ((err as { code?: string }).code === 'P2002' && opts.idempotencyKey && viewer) {
			const earlier = await replay(viewer.id, opts.idempotencyKey);
			if (earlier) return earlier;
		}
		throw err;
	}
}
