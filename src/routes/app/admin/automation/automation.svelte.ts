import { invalidate } from '$app/navigation';
import { toast } from '$lib/components/ui';
import { errorMessage, fieldErrors, type FieldErrors } from '$lib/trpc/client';

export const refresh = () => invalidate('app:automation');

/** Runs a change, reports it as a toast and reloads the data. */
export async function run(task: () => Promise<unknown>, done: string): Promise<boolean> {
	try {
		await task();
		toast.success(done);
		await refresh();
		return true;
	} catch (err) {
		toast.error(errorMessage(err));
		return false;
	}
}

/** Where an error path points, in words: 'actions.0.url' → "Action 1". */
export function describePath(path: string): string {
	const [head, a, b] = path.split('.');
	if (head === 'conditions' && a === 'conditions' && b !== undefined)
		return `Condition ${Number(b) + 1}`;
	if (head === 'conditions') return 'Conditions';
	if (head === 'actions' && a !== undefined && /^\d+$/.test(a)) return `Action ${Number(a) + 1}`;
	if (head === 'actions') return 'Actions';
	const names: Record<string, string> = {
		name: 'Name',
		description: 'Description',
		trigger: 'Runs',
		timeAnchor: 'Counted from',
		timeMinutes: 'Wait',
		_form: 'Rule'
	};
	return names[head ?? ''] ?? head ?? 'Rule';
}

/** The editor's state: saving, per-field errors (by dotted path), a general error. */
export class FormState {
	saving = $state(false);
	errors = $state<FieldErrors>({});
	formError = $state('');

	/** Runs a save; on a field error fills `errors` and returns false. */
	async save(task: () => Promise<unknown>, message: string): Promise<boolean> {
		this.saving = true;
		try {
			await task();
			this.errors = {};
			this.formError = '';
			toast.success(message);
			await refresh();
			return true;
		} catch (err) {
			this.fail(err);
			return false;
		} finally {
			this.saving = false;
		}
	}

	fail(err: unknown, what = 'The rule was not saved') {
		this.errors = fieldErrors(err);
		this.formError = Object.keys(this.errors).length
			? `${what}: fix the fields below.`
			: errorMessage(err);
	}

	clear() {
		this.errors = {};
		this.formError = '';
	}

	error(field: string): string | undefined {
		return this.errors[field]?.[0];
	}

	/** The first error at or below `prefix` (e.g. every error of one webhook's headers). */
	errorUnder(prefix: string): string | undefined {
		const key = Object.keys(this.errors).find((k) => k === prefix || k.startsWith(prefix + '.'));
		return key ? this.errors[key]?.[0] : undefined;
	}

	/** Every message with where it points, for the summary at the top. */
	get summary(): string[] {
		return Object.entries(this.errors).flatMap(([path, msgs]) =>
			(msgs ?? []).map((m) => `${describePath(path)}: ${m}`)
		);
	}
}
