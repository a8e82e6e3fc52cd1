import { invalidate } from '$app/navigation';
import { toast } from '$lib/components/ui';
import { errorMessage, fieldErrors, type FieldErrors } from '$lib/trpc/client';

export const PRIORITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type PriorityName = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<PriorityName, string> = {
	CRITICAL: 'Critical',
	HIGH: 'High',
	MEDIUM: 'Medium',
	LOW: 'Low'
};
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const refresh = () => invalidate('app:sla');

/** 90 → "1 h 30 min" (business minutes). */
export function duration(minutes: number): string {
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	if (!h) return `${m} min`;
	return m ? `${h} h ${m} min` : `${h} h`;
}

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

/** The state of one editor: saving, per-field errors (by dotted path), a general error. */
export class FormState {
	saving = $state(false);
	errors = $state<FieldErrors>({});
	formError = $state('');

	async save(task: () => Promise<unknown>, message: string): Promise<boolean> {
		this.saving = true;
		this.errors = {};
		this.formError = '';
		try {
			await task();
			toast.success(message);
			await refresh();
			return true;
		} catch (err) {
			this.errors = fieldErrors(err);
			this.formError = Object.keys(this.errors).length
				? 'Some fields need attention: see the messages next to them.'
				: errorMessage(err);
			return false;
		} finally {
			this.saving = false;
		}
	}

	error(field: string): string | undefined {
		return this.errors[field]?.[0];
	}

	/** The first error at or below `prefix` (e.g. every error of one day's hours). */
	errorUnder(prefix: string): string | undefined {
		const key = Object.keys(this.errors).find((k) => k === prefix || k.startsWith(prefix + '.'));
		return key ? this.errors[key]?.[0] : undefined;
	}
}
