import { SvelteSet } from 'svelte/reactivity';
import { TRPCClientError } from '@trpc/client';
import { toast } from '$lib/components/ui';
import { errorMessage, fieldErrors, trpc } from '$lib/trpc/client';
import type { PageData } from './$types';

export type Ticket = PageData['ticket'];
export type Entry = Ticket['entries'][number];
export type HistoryRow = PageData['history'][number];
export type Person = { id: string; name: string; email?: string };

export interface LinkedTicket {
	id: string;
	number: number;
	subject: string;
	status: string;
}
/**
 * What `getTicket` adds for staff. Its select is conditional, so Prisma's inferred type loses
 * these relations; the shape is spelled out here once.
 */
export interface StaffExtras {
	watchers: { user: { id: string; name: string } }[];
	linksFrom: { id: string; kind: string; to: LinkedTicket }[];
	linksTo: { id: string; kind: string; from: LinkedTicket }[];
}
export const staffExtras = (t: Ticket): Partial<StaffExtras> => t as unknown as StaffExtras;

/** Properties edited in place; custom fields as `cf:<key>`. */
export type Prop =
	| 'subject'
	| 'description'
	| 'status'
	| 'priority'
	| 'typeId'
	| 'categoryId'
	| 'groupId'
	| 'assigneeId'
	| 'tags'
	| `cf:${string}`;

/** The server's text and version when an editor opened. */
export interface TextBase {
	ticketId: string;
	text: string;
	version: number;
}

const isConflict = (err: unknown) =>
	err instanceof TRPCClientError &&
	(err.data as { code?: string } | undefined)?.code === 'CONFLICT';

/** The value a property has on the ticket as the server last sent it. */
export function serverValue(t: Ticket, prop: Prop): unknown {
	switch (prop) {
		case 'subject':
			return t.subject;
		case 'description':
			return t.description;
		case 'status':
			return t.status;
		case 'priority':
			return t.priority;
		case 'typeId':
			return t.type?.id ?? null;
		case 'categoryId':
			return t.category?.id ?? null;
		case 'groupId':
			return t.group?.id ?? null;
		case 'assigneeId':
			return t.assignee?.id ?? null;
		case 'tags':
			return t.tags;
		default:
			return (t.customFields as Record<string, unknown>)[prop.slice(3)] ?? null;
	}
}

/** Ids of entries in `next` that `before` did not have. */
function newIds(before: { id: string }[], next: { id: string }[]): string[] {
	const known = new Map(before.map((e) => [e.id, true]));
	return next.filter((e) => !known.has(e.id)).map((e) => e.id);
}

/** A patch of props → the update procedure's input. */
function toInput(patch: Partial<Record<Prop, unknown>>) {
	const input: Record<string, unknown> = {};
	const custom: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(patch)) {
		if (k.startsWith('cf:')) custom[k.slice(3)] = v;
		else input[k] = v;
	}
	if (Object.keys(custom).length) input.customFields = custom;
	return input;
}

/**
 * One ticket in the browser: the server-rendered ticket, in-place edits saved with the version
 * the agent read (a conflict keeps the agent's values and says who changed the ticket), and
 * live refreshes when someone else replies or changes it.
 */
export class TicketState {
	ticket = $state() as Ticket;
	history = $state<HistoryRow[]>([]);
	/** Values the agent chose that the server has not accepted yet (saving, or refused). */
	pending = $state<Partial<Record<Prop, unknown>>>({});
	/** The server's conflict message; `reloaded` once the agent fetched the newer ticket. */
	conflict = $state<{ message: string; reloaded: boolean } | null>(null);
	saving = $state(false);
	errors = $state<Record<string, string>>({});
	/** Entries that arrived while the page was open (they slide in). */
	fresh = new SvelteSet<string>();
	#refreshing: Promise<void> | null = null;
	#again = false;

	constructor(ticket: Ticket, history: HistoryRow[]) {
		this.ticket = ticket;
		this.history = history;
	}

	/** A new server render (navigation, invalidate): adopt it, keep unsaved values. */
	adopt(ticket: Ticket, history: HistoryRow[]) {
		const before = this.ticket.entries;
		const sameTicket = ticket.id === this.ticket.id;
		this.ticket = ticket;
		this.history = history;
		if (!sameTicket) {
			this.pending = {};
			this.conflict = null;
			this.fresh.clear();
		} else {
			for (const id of newIds(before, ticket.entries)) this.fresh.add(id);
		}
	}

	value(prop: Prop): unknown {
		return prop in this.pending ? this.pending[prop] : serverValue(this.ticket, prop);
	}

	/**
	 * Saves one or more properties against the version this page holds (or `version`, the one an
	 * editor started from).
	 */
	async save(patch: Partial<Record<Prop, unknown>>, version?: number): Promise<boolean> {
		const changed = Object.fromEntries(
			Object.entries(patch).filter(
				([k, v]) => JSON.stringify(v) !== JSON.stringify(serverValue(this.ticket, k as Prop))
			)
		) as Partial<Record<Prop, unknown>>;
		for (const k of Object.keys(patch) as Prop[]) {
			if (!(k in changed)) delete this.pending[k];
		}
		if (!Object.keys(changed).length) return true;
		this.pending = { ...this.pending, ...changed };
		this.errors = {};
		this.saving = true;
		try {
			const row = await trpc().tickets.update.mutate({
				ticket: this.ticket.id,
				version: version ?? this.ticket.version,
				...toInput(changed)
			});
			// The answer carries the properties; the conversation and the requester card stay.
			const { requester: _requester, ...props } = row;
			void _requester;
			this.ticket = { ...this.ticket, ...props };
			const rest = { ...this.pending };
			for (const k of Object.keys(changed) as Prop[]) delete rest[k];
			this.pending = rest;
			if (!Object.keys(rest).length) this.conflict = null;
			void this.loadHistory();
			return true;
		} catch (err) {
			if (isConflict(err)) {
				this.conflict = { message: errorMessage(err), reloaded: false };
				return false;
			}
			const rest = { ...this.pending };
			for (const k of Object.keys(changed) as Prop[]) delete rest[k];
			this.pending = rest;
			const fields = fieldErrors(err);
			const first = Object.entries(fields).find(([, m]) => m?.length);
			if (first) {
				this.errors = Object.fromEntries(
					Object.entries(fields).map(([k, m]) => [
						k.replace(/^customFields\./, 'cf:'),
						m?.[0] ?? ''
					])
				);
				toast.error(first[1]![0]!);
			} else toast.error(errorMessage(err));
			return false;
		} finally {
			this.saving = false;
		}
	}

	/**
	 * Saves a text the agent edited from `base` (the subject, the description). Live refreshes keep
	 * this page's version current, so a colleague's edit of the same text while the agent typed
	 * would be overwritten silently; in that case the save names the version the agent started
	 * from, and the server answers with the conflict instead.
	 */
	async saveText(prop: 'subject' | 'description', value: string, base: TextBase) {
		// An editor left open across a navigation to another ticket saves nothing there.
		if (base.ticketId !== this.ticket.id) return false;
		const changedMeanwhile = serverValue(this.ticket, prop) !== base.text;
		return this.save({ [prop]: value }, changedMeanwhile ? base.version : undefined);
	}

	/** What a text editor starts from: the ticket, its text as the server has it, the version. */
	textBase(prop: 'subject' | 'description'): TextBase {
		const { id, version } = this.ticket;
		return { ticketId: id, text: serverValue(this.ticket, prop) as string, version };
	}

	/** "Save my changes" after a reload: the unsaved values, against the new version. */
	savePending() {
		return this.save({ ...this.pending });
	}

	discardPending() {
		this.pending = {};
		this.conflict = null;
	}

	/** Fetches the ticket again (live events, after a reply). Coalesces bursts of events. */
	refresh(): Promise<void> {
		if (this.#refreshing) {
			this.#again = true;
			return this.#refreshing;
		}
		this.#refreshing = (async () => {
			try {
				do {
					this.#again = false;
					const next = await trpc().tickets.get.query({ ticket: this.ticket.id });
					for (const id of newIds(this.ticket.entries, next.entries)) this.fresh.add(id);
					this.ticket = next;
				} while (this.#again);
			} catch (err) {
				toast.error(`Could not refresh the ticket: ${errorMessage(err)}`);
			} finally {
				this.#refreshing = null;
			}
		})();
		return this.#refreshing;
	}

	async loadHistory() {
		try {
			this.history = await trpc().tickets.history.query({ ticket: this.ticket.id });
		} catch {
			// The timeline keeps what it had; the next change tries again.
		}
	}

	/** The conflict banner's "Reload": the newer ticket, the agent's values kept on top. */
	async reload() {
		await Promise.all([this.refresh(), this.loadHistory()]);
		if (this.conflict) this.conflict = { ...this.conflict, reloaded: true };
	}
}
