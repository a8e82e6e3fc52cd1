import { publish } from '../realtime/bus';

export interface TicketFacts {
	id: string;
	number: number;
	groupId: string | null;
	assigneeId: string | null;
	requesterId: string;
}

const facts = (t: TicketFacts) => ({
	ticketId: t.id,
	number: t.number,
	groupId: t.groupId,
	assigneeId: t.assigneeId,
	requesterId: t.requesterId
});

export const publishCreated = (t: TicketFacts, actorId: string | null) =>
	publish({ type: 'TicketCreated', ...facts(t), actorId });

export const publishUpdated = (t: TicketFacts, actorId: string | null, fields: string[]) =>
	publish({ type: 'TicketUpdated', ...facts(t), actorId, fields });

export const publishEntry = (
	t: TicketFacts,
	actorId: string | null,
	entryId: string,
	kind: 'REPLY' | 'NOTE'
) => publish({ type: 'TicketEntryAdded', ...facts(t), actorId, entryId, kind });
