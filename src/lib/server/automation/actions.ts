import { STAFF_ROLES } from '$lib/permissions';
import { pickAssignee } from '../tickets/assignment';
import { renderCanned } from '../tickets/canned';
import { renderMarkdown } from '../tickets/markdown';
import { queueTicketMail } from '../mail/outbound';
import type { LoadedRule, RunEffects, Tx, WorkingTicket } from './state';
import type { Action } from './schemas';

/** An action that cannot run (its group was deleted, its agent deactivated…): the rest go on. */
export class ActionSkipped extends Error {}

const COLUMN = { status: 'status', priority: 'priority', type: 'typeId', category: 'categoryId' };

export const via = (rule: { name: string }) => `rule: ${rule.name}`;

const show = (v: unknown): string | null =>
	v === null || v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v);

/** Sets a ticket column on the working copy, remembering its first value and writing history. */
function change(
	work: WorkingTicket,
	fx: RunEffects,
	rule: LoadedRule,
	column: 'status' | 'priority' | 'typeId' | 'categoryId' | 'groupId' | 'assigneeId' | 'tags',
	next: unknown,
	now: Date
): string | null {
	const before = work[column];
	if (show(before) === show(next)) return null;
	if (!fx.changed.has(column)) fx.changed.set(column, before);
	(work as unknown as Record<string, unknown>)[column] = next;
	const field = column.replace(/Id$/, '');
	fx.history.push({
		ticketId: work.id,
		actorId: null,
		via: via(rule),
		field,
		fromValue: show(before),
		toValue: show(next),
		createdAt: now
	});
	return `${field} → ${show(next) ?? 'none'}`;
}

function note(work: WorkingTicket, fx: RunEffects, rule: LoadedRule, text: string, now: Date) {
	fx.history.push({
		ticketId: work.id,
		actorId: null,
		via: via(rule),
		field: 'automation',
		toValue: text,
		createdAt: now
	});
	return text;
}

async function requireExisting(tx: Tx, what: 'type' | 'category' | 'group', id: string) {
	const found =
		what === 'type'
			? await tx.ticketType.findUnique({ where: { id }, select: { id: true } })
			: what === 'category'
				? await tx.ticketCategory.findUnique({ where: { id }, select: { id: true } })
				: await tx.group.findUnique({ where: { id }, select: { id: true } });
	if (!found) throw new ActionSkipped(`the ${what} no longer exists`);
}

async function activeStaff(tx: Tx, ids: string[]) {
	const rows = await tx.user.findMany({
		where: { id: { in: ids }, active: true, role: { in: [...STAFF_ROLES] } },
		select: { id: true, name: true }
	});
	return rows;
}

/** Placeholders as in canned responses: {{requester.firstName}}, {{ticket.number}}… */
export const fill = (text: string, work: WorkingTicket) =>
	renderCanned(text, {
		requester: { name: work.requesterName, email: work.requesterEmail },
		ticket: { number: work.number, subject: work.subject, status: work.status },
		agent: null
	});

/**
 * Runs one action on the working copy of the ticket. Field changes are written together at the
 * end of the run; rows of their own (replies, watchers, webhook deliveries) are written here, in
 * the same transaction. Returns what it did, for the run log; null when nothing changed.
 */
export async function applyAction(
	tx: Tx,
	work: WorkingTicket,
	action: Action,
	rule: LoadedRule,
	fx: RunEffects,
	now: Date
): Promise<string | null> {
	switch (action.type) {
		case 'set': {
			if ((action.field === 'type' || action.field === 'category') && action.value)
				await requireExisting(tx, action.field, action.value);
			if ((action.field === 'status' || action.field === 'priority') && !action.value)
				throw new ActionSkipped(`a ticket always has a ${action.field}`);
			return change(work, fx, rule, COLUMN[action.field] as 'status', action.value, now);
		}
		case 'setCustomField': {
			const before = work.customFields[action.key] ?? null;
			if (show(before) === show(action.value)) return null;
			if (!fx.changed.has('customFields')) fx.changed.set('customFields', work.customFields);
			work.customFields = { ...work.customFields, [action.key]: action.value };
			fx.history.push({
				ticketId: work.id,
				actorId: null,
				via: via(rule),
				field: `custom.${action.key}`,
				fromValue: show(before),
				toValue: show(action.value),
				createdAt: now
			});
			return `${action.key} → ${show(action.value) ?? 'none'}`;
		}
		case 'assignAgent': {
			const [agent] = await activeStaff(tx, [action.userId]);
			if (!agent) throw new ActionSkipped('the agent is inactive or no longer staff');
			return change(work, fx, rule, 'assigneeId', agent.id, now);
		}
		case 'assignGroup': {
			await requireExisting(tx, 'group', action.groupId);
			const done = [change(work, fx, rule, 'groupId', action.groupId, now)];
			// By the group's method when asked (and it has one); otherwise the assignee stays only
			// if they belong to the new group.
			const picked = action.autoAssign ? await pickAssignee(tx, action.groupId) : null;
			let assignee = picked ?? work.assigneeId;
			if (!picked && assignee) {
				const member = await tx.groupMember.findUnique({
					where: { groupId_userId: { groupId: action.groupId, userId: assignee } },
					select: { userId: true }
				});
				if (!member) assignee = null;
			}
			done.push(change(work, fx, rule, 'assigneeId', assignee, now));
			const group = await tx.group.findUnique({
				where: { id: action.groupId },
				select: { managerId: true }
			});
			work.managerId = group?.managerId ?? null;
			return done.filter(Boolean).join(', ') || null;
		}
		case 'addTags':
		case 'removeTags': {
			const have = new Set(work.tags);
			for (const t of action.tags) {
				if (action.type === 'addTags') have.add(t);
				else have.delete(t);
			}
			return change(work, fx, rule, 'tags', [...have], now);
		}
		case 'addWatchers': {
			const people = await activeStaff(tx, action.userIds);
			if (!people.length) throw new ActionSkipped('none of the people is active staff');
			const added = await tx.ticketWatcher.createMany({
				data: people.map((p) => ({ ticketId: work.id, userId: p.id })),
				skipDuplicates: true
			});
			if (!added.count) return null;
			return note(work, fx, rule, `watchers added: ${people.map((p) => p.name).join(', ')}`, now);
		}
		case 'notify': {
			fx.notices.push({
				rule: rule.name,
				recipients: action.recipients,
				userIds: action.userIds,
				n: {
					type: 'automation.notify',
					title: fill(action.title, work),
					body: action.message ? fill(action.message, work) : undefined,
					link: `/app/tickets/${work.number}`
				}
			});
			const who = [...action.recipients, ...(action.userIds.length ? ['chosen people'] : [])];
			return note(work, fx, rule, `notification to ${who.join(', ') || 'nobody'}`, now);
		}
		case 'reply': {
			const body = fill(action.body, work);
			const kind = action.internal ? 'NOTE' : 'REPLY';
			const entry = await tx.ticketEntry.create({
				data: {
					ticketId: work.id,
					authorId: null,
					via: via(rule),
					kind,
					body,
					bodyHtml: renderMarkdown(body),
					source: 'AGENT',
					createdAt: now
				},
				select: { id: true }
			});
			fx.entries.push({ id: entry.id, kind });
			// A public reply reaches the requester by mail, as an agent's would.
			if (kind === 'REPLY') {
				fx.mailed += await queueTicketMail(tx, {
					kind: 'ticket.reply',
					ticketId: work.id,
					entryId: entry.id,
					authorId: null,
					body
				});
			}
			return note(work, fx, rule, action.internal ? 'internal note added' : 'reply sent', now);
		}
		case 'webhook': {
			fx.webhookCalls.push({
				ruleId: rule.id,
				ruleName: rule.name,
				url: action.url,
				headers: action.headers
			});
			return note(work, fx, rule, `webhook to ${new URL(action.url).host}`, now);
		}
	}
}
