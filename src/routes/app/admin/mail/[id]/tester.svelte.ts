import { errorMessage, fieldErrors } from '$lib/trpc/client';
import type { FormState } from '../mail.svelte';

export interface Outcome {
	ok: boolean;
	title: string;
	detail?: string;
}

/** A "Test connection" button's state: running, and what came back. */
export class Tester {
	busy = $state(false);
	result = $state<Outcome | null>(null);

	constructor(private form: FormState) {}

	/** Runs a test; the server's own error text is shown as it came. */
	async run<T extends { ok: true } | { ok: false; error: string }>(
		task: () => Promise<T>,
		success: (r: Extract<T, { ok: true }>) => Outcome,
		failure: string
	) {
		this.busy = true;
		this.result = null;
		try {
			const r = await task();
			this.result = r.ok
				? success(r as Extract<T, { ok: true }>)
				: { ok: false, title: failure, detail: (r as { error: string }).error };
		} catch (err) {
			const fields = fieldErrors(err);
			if (Object.keys(fields).length) this.form.errors = { ...this.form.errors, ...fields };
			this.result = { ok: false, title: failure, detail: errorMessage(err) };
		} finally {
			this.busy = false;
		}
	}
}
