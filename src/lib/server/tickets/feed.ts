import type { AppEvent } from '../realtime/events';
import { scopeAllows, scopeFor, type Scope, type Viewer } from './access';

export type TicketFeedEvent =
	| {
			type: 'created' | 'updated';
			ticketId: string;
			number: number;
			fields: string[];
			actorId: string | null;
	  }
	| {
			type: 'entry';
			ticketId: string;
			number: number;
			entryId: string;
			kind: 'REPLY' | 'NOTE';
			actorId: string | null;
	  }
	| {
			type: 'presence';
			ticketId: string;
			user: { id: string; name: string };
			state: 'viewing' | 'replying' | 'left';
	  };

/**
 * Turns bus events into what one viewer may receive: ticket events only for tickets their scope
 * allows (judged on the facts the event carries), internal-note events and presence only for
 * staff, and nothing about other tickets when following one. Group changes refresh an agent's
 * scope, so a new member starts receiving their group's tickets without reconnecting.
 */
export async function* ticketFeed(
	viewer: Viewer,
	stream: AsyncIterable<AppEvent>,
	ticketId?: string
): AsyncGenerator<TicketFeedEvent> {
	let scope: Scope = await scopeFor(viewer);
	for await (const e of stream) {
		if (e.type === 'GroupChanged') {
			if (viewer.role === 'AGENT') scope = await scopeFor(viewer);
			continue;
		}
		if (e.type === 'TicketPresence') {
			if (scope.staff && e.ticketId === ticketId && e.user.id !== viewer.id) {
				yield { type: 'presence', ticketId: e.ticketId, user: e.user, state: e.state };
			}
			continue;
		}
		if (e.type !== 'TicketCreated' && e.type !== 'TicketUpdated' && e.type !== 'TicketEntryAdded')
			continue;
		if (ticketId && e.ticketId !== ticketId) continue;
		if (!scopeAllows(scope, e)) continue;
		if (e.type === 'TicketEntryAdded') {
			if (e.kind === 'NOTE' && !scope.staff) continue;
			yield {
				type: 'entry',
				ticketId: e.ticketId,
				number: e.number,
				entryId: e.entryId,
				kind: e.kind,
				actorId: e.actorId
			};
		} else {
			yield {
				type: e.type === 'TicketCreated' ? 'created' : 'updated',
				ticketId: e.ticketId,
				number: e.number,
				fields: e.type === 'TicketUpdated' ? e.fields : [],
				actorId: e.actorId
			};
		}
	}
}
