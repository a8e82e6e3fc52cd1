import { transformer } from '$lib/trpc/transformer';
import { trpc } from '$lib/trpc/client';

export type PresenceState = 'viewing' | 'replying' | 'left';
export interface Colleague {
	id: string;
	name: string;
	state: 'viewing' | 'replying';
	at: number;
}

const BEAT_MS = 10_000;
const EXPIRE_MS = 25_000;

/**
 * Who else has this ticket open (the collision indicator). This page says "viewing" every 10 s
 * while it is visible, "replying" while the reply box has text, "left" when it goes; colleagues
 * who stop beating for 25 s disappear.
 */
export class Presence {
	others = $state<Colleague[]>([]);
	#ticket: string;
	#replying = false;

	constructor(ticket: string) {
		this.#ticket = ticket;
	}

	#send(state: PresenceState) {
		trpc()
			.tickets.presence.mutate({ ticket: this.#ticket, state })
			.catch(() => undefined); // presence is best effort
	}

	/** On tab close the page cannot wait for a fetch: a keepalive request outlives it. */
	#sendLeftOnUnload = () => {
		void fetch('/api/trpc/tickets.presence', {
			method: 'POST',
			keepalive: true,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(transformer.serialize({ ticket: this.#ticket, state: 'left' }))
		}).catch(() => undefined);
	};

	#beat = () => {
		if (document.visibilityState === 'visible') this.#send(this.#replying ? 'replying' : 'viewing');
	};

	start(): () => void {
		this.#beat();
		const beat = setInterval(this.#beat, BEAT_MS);
		const prune = setInterval(() => this.prune(), 5_000);
		const onVisibility = () => this.#beat();
		document.addEventListener('visibilitychange', onVisibility);
		window.addEventListener('pagehide', this.#sendLeftOnUnload);
		return () => {
			clearInterval(beat);
			clearInterval(prune);
			document.removeEventListener('visibilitychange', onVisibility);
			window.removeEventListener('pagehide', this.#sendLeftOnUnload);
			this.#send('left');
			this.others = [];
		};
	}

	/** The reply box turned non-empty or empty: tell the others at once. */
	setReplying(replying: boolean) {
		if (replying === this.#replying) return;
		this.#replying = replying;
		this.#send(replying ? 'replying' : 'viewing');
	}

	receive(user: { id: string; name: string }, state: PresenceState, now = Date.now()) {
		if (state === 'left') {
			this.others = this.others.filter((o) => o.id !== user.id);
			return;
		}
		const next = { id: user.id, name: user.name, state, at: now };
		const i = this.others.findIndex((o) => o.id === user.id);
		this.others = i < 0 ? [...this.others, next] : this.others.with(i, next);
	}

	prune(now = Date.now()) {
		const alive = this.others.filter((o) => now - o.at < EXPIRE_MS);
		if (alive.length !== this.others.length) this.others = alive;
	}
}
