import type { Prisma } from '../db/generated/client';

const person = { select: { id: true, name: true, email: true } } as const;

/** The columns every ticket answer carries (lists add less, the ticket page adds more). */
export const ticketSelect = {
	id: true,
	number: true,
	subject: true,
	description: true,
	descriptionHtml: true,
	status: true,
	priority: true,
	source: true,
	tags: true,
	customFields: true,
	version: true,
	firstResponseAt: true,
	resolvedAt: true,
	closedAt: true,
	csatRating: true,
	csatComment: true,
	createdAt: true,
	updatedAt: true,
	mergedInto: { select: { number: true } },
	type: { select: { id: true, name: true } },
	category: { select: { id: true, name: true } },
	requester: { select: { id: true, name: true, email: true, role: true } },
	assignee: person,
	group: { select: { id: true, name: true } },
	// Targets and elapsed minutes: the ticket page shows the time left while the clock is paused
	// ($lib/sla slaPausedLeft). REST answers pick their fields (rest-json.ts), so they stay as they are.
	slaPolicy: { select: { id: true, name: true, targets: true } },
	firstResponseDueAt: true,
	resolutionDueAt: true,
	slaAtRiskAt: true,
	slaPausedAt: true,
	firstResponseElapsedMin: true,
	resolutionElapsedMin: true
} satisfies Prisma.TicketSelect;

export type TicketRow = Prisma.TicketGetPayload<{ select: typeof ticketSelect }>;

/** Facts a live event carries so each socket can decide whether its user may see it. */
export const audienceSelect = {
	id: true,
	number: true,
	groupId: true,
	assigneeId: true,
	requesterId: true
} satisfies Prisma.TicketSelect;
