import { invalidate } from '$app/navigation';
import { toast } from '$lib/components/ui';
import { errorMessage, fieldErrors, type FieldErrors } from '$lib/trpc/client';

/** Admin → Mail: shared helpers for the list tabs and the account form. */
export const refresh = () => invalidate('app:mail');

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

/** How mail reaches an account, in words. */
export const INBOUND_LABELS: Record<string, string> = {
	NONE: 'No incoming mail',
	IMAP: 'IMAP mailbox',
	POP3: 'POP3 mailbox',
	SMTP: 'Forwarded to our SMTP listener',
	WEBHOOK: 'Inbound webhook'
};

/** "1.2 MB", "830 KB", "512 B". */
export function formatBytes(n: number): string {
	if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
	if (n >= 1024) return `${Math.round(n / 1024)} KB`;
	return `${n} B`;
}

/** A form's state: saving, per-field errors (by field path), a general error. */
export class FormState {
	busy = $state(false);
	errors = $state<FieldErrors>({});
	formError = $state('');

	/** Runs a save; on a field error fills `errors` and returns false. */
	async save(task: () => Promise<unknown>, message: string, what: string): Promise<boolean> {
		this.busy = true;
		try {
			await task();
			this.clear();
			toast.success(message);
			await refresh();
			return true;
		} catch (err) {
			this.fail(err, what);
			return false;
		} finally {
			this.busy = false;
		}
	}

	fail(err: unknown, what: string) {
		this.errors = fieldErrors(err);
		this.formError = Object.keys(this.errors).length
			? `${what}: fix the fields marked below.`
			: errorMessage(err);
	}

	clear() {
		this.errors = {};
		this.formError = '';
	}

	error(field: string): string | undefined {
		return this.errors[field]?.[0];
	}
}
