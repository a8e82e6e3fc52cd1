import { parseArgs } from 'node:util';

/** The admin CLI's commands: their options, which are required, and one line of usage each. */
export const COMMANDS = {
	'create-user': {
		options: ['email', 'name', 'role', 'password'],
		required: ['email', 'name'],
		synopsis: 'create-user --email E --name N [--role R] [--password P]',
		about:
			'Create a user; role defaults to end-user. Without --password one is generated, shown once.'
	},
	'reset-password': {
		options: ['email', 'password'],
		required: ['email'],
		synopsis: 'reset-password --email E [--password P]',
		about:
			'Set a new password (generated, shown once, when omitted); signs the user out everywhere.'
	},
	'create-api-key': {
		options: ['name', 'user'],
		required: ['name'],
		synopsis: 'create-api-key --name NAME [--user EMAIL]',
		about:
			'Create an API key, shown once (stored hashed), owned by --user or the first active admin.'
	},
	'list-users': {
		options: ['role'],
		required: [],
		synopsis: 'list-users [--role R]',
		about: 'List users, optionally of one role.'
	},
	'set-role': {
		options: ['email', 'role'],
		required: ['email', 'role'],
		synopsis: 'set-role --email E --role R',
		about: "Change a user's role."
	},
	deactivate: {
		options: ['email'],
		required: ['email'],
		synopsis: 'deactivate --email E',
		about: 'Deactivate a user: their sessions end and their API keys stop working.'
	},
	activate: {
		options: ['email'],
		required: ['email'],
		synopsis: 'activate --email E',
		about: 'Reactivate a deactivated user.'
	}
} as const satisfies Record<string, CommandSpec>;

interface CommandSpec {
	options: readonly OptionName[];
	required: readonly OptionName[];
	synopsis: string;
	about: string;
}

export type OptionName = 'email' | 'name' | 'role' | 'password' | 'user';
export type CommandName = keyof typeof COMMANDS;
export type CliOptions = Partial<Record<OptionName, string>>;
export type ParsedCommand = { command: 'help' } | { command: CommandName; options: CliOptions };

export const USAGE_HINT = 'Run "npm run admin -- help" for usage.';

/** A mistake in the command line itself: printed with the usage hint, exit code 1. */
export class UsageError extends Error {
	constructor(message: string) {
		super(`${message} ${USAGE_HINT}`);
		this.name = 'UsageError';
	}
}

const HELP = new Set(['help', '--help', '-h']);

function isCommand(name: string): name is CommandName {
	return Object.hasOwn(COMMANDS, name);
}

/** What one of util.parseArgs's error messages quotes, e.g. `--foo` in `Unknown option '--foo'`. */
function quoted(message: string): string {
	return /'([^' ]+)/.exec(message)?.[1] ?? message;
}

export function parseCommand(argv: readonly string[]): ParsedCommand {
	const [name, ...rest] = argv;
	if (name === undefined || HELP.has(name)) return { command: 'help' };
	if (!isCommand(name)) throw new UsageError(`Unknown command "${name}".`);
	const spec: CommandSpec = COMMANDS[name];
	let parsed: ReturnType<typeof parseArgs>;
	try {
		parsed = parseArgs({
			args: [...rest],
			strict: true,
			allowPositionals: false,
			options: {
				help: { type: 'boolean', short: 'h' },
				...Object.fromEntries(spec.options.map((o) => [o, { type: 'string' as const }]))
			}
		});
	} catch (err) {
		const { code, message } = err as { code?: string; message: string };
		if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
			throw new UsageError(`Unknown option ${quoted(message)} for ${name}.`);
		}
		if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
			throw new UsageError(`${quoted(message)} needs a value.`);
		}
		if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
			throw new UsageError(`Unexpected argument "${quoted(message)}" for ${name}.`);
		}
		throw err;
	}
	if (parsed.values.help) return { command: 'help' };
	const options: CliOptions = {};
	for (const o of spec.options) {
		const value = parsed.values[o];
		if (typeof value === 'string') options[o] = value;
	}
	const missing = spec.required.filter((o) => options[o] === undefined);
	if (missing.length) {
		throw new UsageError(`${name} needs ${missing.map((o) => `--${o}`).join(' and ')}.`);
	}
	return { command: name, options };
}

/** The help text, one string per line. */
export function usage(): string[] {
	const lines = ['itsm-helpdesk admin CLI', '', 'Usage: npm run admin -- <command> [options]', ''];
	lines.push('Commands:');
	for (const spec of Object.values(COMMANDS))
		lines.push(`  ${spec.synopsis}`, `      ${spec.about}`);
	lines.push('  help', '      Show this text (also --help, or no command).', '');
	lines.push('Roles: admin, it-manager, agent, end-user, requester (any case; - or _).', '');
	lines.push(
		'Environment:',
		'  DATABASE_URL  The PostgreSQL to use. When unset, the embedded database in DATA_DIR is used:',
		'                that of the app running on the folder if there is one; otherwise it is started',
		'                for the command (pending migrations applied first) and stopped afterwards.',
		'  DATA_DIR      Data folder of the embedded database (default ./data).'
	);
	return lines;
}
