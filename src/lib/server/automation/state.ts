import type { Prisma } from '../db/generated/client';
import type { NewNotification } from '../identity/notifications';
import type { RuleTicket } from './conditions';
import type { Action, Conditions, Trigger } from './schemas';

export type Tx = Prisma.TransactionClient;

/** A rule as the engine runs it (parsed JSON). */
export interface LoadedRule {
	id: string;
	name: string;
	trigger: Trigger;
	stopProcessing: boolean;
	conditions: Conditions;
	actions: Action[];
	/** Time rules: what the time counts from, and how long. */
	timeAnchor: string | null;
	timeMinutes: number | null;
}

/** The ticket a run works on: rules see each other's changes in order. */
export interface WorkingTicket extends RuleTicket {
	id: string;
	number: number;
	version: number;
	requesterName: string;
	managerId: string | null;
}

/** Everything a run decided, written at its end and delivered after commit. */
export interface RunEffects {
	/** Ticket columns that changed, with their values before the run. */
	changed: Map<string, unknown>;
	history: Prisma.TicketEventCreateManyInput[];
	runs: Prisma.AutomationRunCreateManyInput[];
	/** Notifications, resolved to people at the end of the run (the final assignee, group…). */
	notices: { rule: string; recipients: string[]; userIds: string[]; n: NewNotification }[];
	entries: { id: string; kind: 'REPLY' | 'NOTE' }[];
	webhooks: number;
	/** Mails queued (rule replies). */
	mailed: number;
	/** For the webhook bodies: which rule asked, to which URL. */
	webhookCalls: {
		ruleId: string;
		ruleName: string;
		url: string;
		headers: Record<string, string>;
	}[];
}

export const emptyEffects = (): RunEffects => ({
	changed: new Map(),
	history: [],
	runs: [],
	notices: [],
	entries: [],
	webhooks: 0,
	mailed: 0,
	webhookCalls: []
});

interface Row {
	id: string;
	number: number;
	version: number;
	status: string;
	priority: string;
	source: string;
	typeId: string | null;
	categoryId: string | null;
	groupId: string | null;
	assigneeId: string | null;
	requesterId: string;
	subject: string;
	description: string;
	tags: string[] | null;
	customFields: Record<string, unknown> | null;
	requesterEmail: string | null;
	requesterName: string;
	requesterDepartment: string | null;
	managerId: string | null;
}

/** The ticket with what conditions look at (requester's email and department, group manager). */
export async function loadWorkingTicket(tx: Tx, ticketId: string): Promise<WorkingTicket | null> {
	const [row] = await tx.$queryRaw<Row[]>`
		SELECT t.id, t.number, t.version, t.status::text AS status, t.priority::text AS priority,
			t.source::text AS source, t."typeId", t."categoryId", t."groupId", t."assigneeId",
			t."requesterId", t.subject, t.description, t.tags, t."customFields",
			u.email AS "requesterEmail", u.name AS "requesterName", u.department AS "requesterDepartment",
			g."managerId"
		FROM "Ticket" t
		JOIN "User" u ON u.id = t."requesterId"
		LEFT JOIN "Group" g ON g.id = t."groupId"
		WHERE t.id = ${ticketId}::uuid`;
	if (!row) return null;
	return { ...row, tags: row.tags ?? [], customFields: row.customFields ?? {} };
}
