import { trpc } from '$lib/trpc/client';

/**
 * The signed-in user's unread notification count, pushed over the WebSocket as it changes.
 * Starts from the server-rendered value so the first paint is right.
 */
export class UnreadCount {
	value = $state(0);
	#unsubscribe: (() => void) | undefined;

	constructor(initial: number) {
		this.value = initial;
	}

	start(): () => void {
		const sub = trpc().notifications.onCount.subscribe(undefined, {
			onData: (count) => (this.value = count)
		});
		this.#unsubscribe = () => sub.unsubscribe();
		return () => this.stop();
	}

	stop(): void {
		this.#unsubscribe?.();
		this.#unsubscribe = undefined;
	}
}

/** Saves the theme for the signed-in user (the server renders it next time, no flash). */
export async function saveTheme(theme: 'dark' | 'light'): Promise<void> {
	document.cookie = `itsm_theme=${theme}; path=/; max-age=31536000; samesite=lax`;
	await trpc().auth.setTheme.mutate({ theme });
}
