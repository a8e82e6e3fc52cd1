import { errorMessage, fieldErrors, type FieldErrors } from '$lib/trpc/client';
import { saved } from './config';

/** The state of one create/edit form: saving, per-field errors, a general error. */
export class FormState {
	saving = $state(false);
	errors = $state<FieldErrors>({});
	formError = $state('');

	reset() {
		this.errors = {};
		this.formError = '';
	}

	/** Runs the save; on success reports `message` and returns true, else shows the errors. */
	async save(task: () => Promise<unknown>, message: () => string): Promise<boolean> {
		this.saving = true;
		this.reset();
		try {
			await task();
			await saved(message());
			return true;
		} catch (err) {
			this.errors = fieldErrors(err);
			if (!Object.keys(this.errors).length) this.formError = errorMessage(err);
			return false;
		} finally {
			this.saving = false;
		}
	}

	error(field: string): string | undefined {
		return this.errors[field]?.[0];
	}
}
