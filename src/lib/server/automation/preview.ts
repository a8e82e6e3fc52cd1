import { db } from '../db/client';
import { parseFields } from '../errors';
import { holds, type RuleTicket } from './conditions';
import { ruleDraftSchema, type Condition } from './schemas';

const SAMPLE = 500;
const SHOWN = 50;
const ANCHOR = {
	created: 'createdAt',
	statusChanged: 'statusChangedAt',
	updated: 'updatedAt'
} as const;

/**
 * "Which recent tickets would this match?": the rule's conditions over the SAMPLE most recently
 * updated tickets. What only an event can tell (a change, a reply) cannot be known for past
 * tickets: those conditions are taken as holding and named in `assumed`. Time rules also need
 * their time to have passed. Nothing is changed.
 */
export async function previewRule(input: unknown, now = new Date()) {
	const draft = parseFields(ruleDraftSchema, input, 'rule');
	const rows = await db().ticket.findMany({
		where: { mergedIntoId: null },
		orderBy: { updatedAt: 'desc' },
		take: SAMPLE,
		select: {
			id: true,
			number: true,
			subject: true,
			description: true,
			status: true,
			priority: true,
			source: true,
			typeId: true,
			categoryId: true,
			groupId: true,
			assigneeId: true,
			requesterId: true,
			tags: true,
			customFields: true,
			createdAt: true,
			updatedAt: true,
			statusChangedAt: true,
			requester: { select: { email: true, department: true, name: true } },
			assignee: { select: { name: true } },
			group: { select: { name: true } }
		}
	});
	const assumed = new Set<string>();
	const eventOnly = (c: Condition) =>
		['changed', 'changedTo', 'changedFrom'].includes(c.op) ||
		c.field === 'replyAuthor' ||
		c.field === 'replyKind';
	for (const c of draft.conditions.conditions) if (eventOnly(c)) assumed.add(c.field);
	const test = (c: Condition, t: RuleTicket) => (eventOnly(c) ? true : holds(c, t, { now }));
	const matched = rows.filter((row) => {
		const t: RuleTicket = {
			...row,
			customFields: (row.customFields ?? {}) as Record<string, unknown>,
			requesterEmail: row.requester.email,
			requesterDepartment: row.requester.department
		};
		if (draft.trigger === 'TIME' && draft.timeAnchor && draft.timeMinutes !== null) {
			const at = row[ANCHOR[draft.timeAnchor]];
			if (at.getTime() > now.getTime() - draft.timeMinutes * 60_000) return false;
		}
		const list = draft.conditions.conditions;
		if (!list.length) return true;
		return draft.conditions.match === 'any'
			? list.some((c) => test(c, t))
			: list.every((c) => test(c, t));
	});
	return {
		checked: rows.length,
		matched: matched.length,
		assumed: [...assumed],
		tickets: matched.slice(0, SHOWN).map((r) => ({
			number: r.number,
			subject: r.subject,
			status: r.status,
			priority: r.priority,
			assignee: r.assignee?.name ?? null,
			group: r.group?.name ?? null,
			requester: r.requester.name,
			updatedAt: r.updatedAt
		}))
	};
}
