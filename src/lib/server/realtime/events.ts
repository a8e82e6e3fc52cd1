/**
 * Typed live events, named entity-then-verb. Each carries who may receive it; the bus delivers
 * an event only to sockets whose user passes `audience`.
 */
export type AppEvent =
	| { type: 'NotificationCreated'; userId: string; notificationId: string }
	| { type: 'NotificationsRead'; userId: string }
	| {
			type: 'UserChanged';
			userId: string;
			change: 'created' | 'updated' | 'deactivated' | 'reactivated' | 'role';
	  }
	| { type: 'GroupChanged'; groupId: string }
	| (TicketFacts & { type: 'TicketCreated'; actorId: string | null })
	| (TicketFacts & { type: 'TicketUpdated'; actorId: string | null; fields: string[] })
	| (TicketFacts & {
			type: 'TicketEntryAdded';
			actorId: string | null;
			entryId: string;
			/** NOTE events reach staff only. */
			kind: 'REPLY' | 'NOTE';
	  })
	| {
			/** Presence on a ticket page: viewing or typing a reply, refreshed every few seconds. */
			type: 'TicketPresence';
			ticketId: string;
			user: { id: string; name: string };
			state: 'viewing' | 'replying' | 'left';
			/** Sent by staff only, delivered to staff only. */
	  };

/** What a ticket event says about the ticket, so each socket can check visibility. */
export interface TicketFacts {
	ticketId: string;
	number: number;
	groupId: string | null;
	assigneeId: string | null;
	requesterId: string;
}

export type AppEventType = AppEvent['type'];
