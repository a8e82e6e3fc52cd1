/**
 * Toasts for background results ("Ticket assigned", "Could not save — retry").
 * Form errors belong inline next to the field, not here.
 *
 *   import { toast } from '$lib/components/ui';
 *   toast.success('Ticket closed', { action: { label: 'Undo', onclick: reopen } });
 *
 * Render one <Toaster /> in the root layout. Client-only: calls during SSR are ignored, so the
 * module-level state is never shared between server requests.
 */

export type ToastTone = 'success' | 'error' | 'info';

export interface ToastAction {
	label: string;
	onclick: () => void;
}

export interface ToastOptions {
	/** Milliseconds before it hides; 0 keeps it until dismissed. Default 5 s (errors 8 s). */
	duration?: number;
	/** One action button, e.g. Undo. Choosing it dismisses the toast. */
	action?: ToastAction;
}

export interface ToastItem {
	id: number;
	tone: ToastTone;
	message: string;
	action?: ToastAction;
	duration: number;
}

const MAX_VISIBLE = 4;

class ToastStore {
	items = $state<ToastItem[]>([]);

	#nextId = 1;
	#timers = new Map<number, { handle: ReturnType<typeof setTimeout>; endsAt: number }>();
	#remaining = new Map<number, number>();

	show(tone: ToastTone, message: string, options: ToastOptions = {}): number {
		if (typeof window === 'undefined') return -1;
		const id = this.#nextId++;
		const duration = options.duration ?? (tone === 'error' ? 8000 : 5000);
		this.items = [...this.items, { id, tone, message, action: options.action, duration }];
		while (this.items.length > MAX_VISIBLE) {
			const oldest = this.items[0];
			if (oldest) this.dismiss(oldest.id);
		}
		if (duration > 0) this.#schedule(id, duration);
		return id;
	}

	success = (message: string, options?: ToastOptions): number =>
		this.show('success', message, options);
	error = (message: string, options?: ToastOptions): number => this.show('error', message, options);
	info = (message: string, options?: ToastOptions): number => this.show('info', message, options);

	dismiss = (id: number): void => {
		const timer = this.#timers.get(id);
		if (timer) clearTimeout(timer.handle);
		this.#timers.delete(id);
		this.#remaining.delete(id);
		this.items = this.items.filter((t) => t.id !== id);
	};

	clear = (): void => {
		for (const t of this.items) this.dismiss(t.id);
	};

	/** Stop the clock while the pointer or focus is on the toasts (WCAG 2.2.1). */
	pause = (): void => {
		const now = Date.now();
		for (const [id, timer] of this.#timers) {
			clearTimeout(timer.handle);
			this.#remaining.set(id, Math.max(1000, timer.endsAt - now));
		}
		this.#timers.clear();
	};

	resume = (): void => {
		for (const [id, ms] of this.#remaining) this.#schedule(id, ms);
		this.#remaining.clear();
	};

	#schedule(id: number, ms: number) {
		const handle = setTimeout(() => this.dismiss(id), ms);
		this.#timers.set(id, { handle, endsAt: Date.now() + ms });
	}
}

export const toast = new ToastStore();
