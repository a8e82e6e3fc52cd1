import { log } from './log';
import { prepareDatabase, type PreparedDatabase } from './db/bootstrap';
import { disconnectDb } from './db/client';
import { closePgPool } from './db/pool';
import { startBus, stopBus } from './realtime/bus';
import { closeRealtime, handleUpgrade } from './realtime/ws';
import { setRunningJobs, startJobs, type JobRunner } from './jobs';
import { JOBS } from './jobs/definitions';
import { startMailPollers } from './mail/poller';
import { startConfiguredSmtpListener, stopSmtpListener } from './mail/smtp-listener';

/**
 * The app's process-wide lifecycle, started once from hooks.server.ts `init`. The production
 * server entry (scripts/server.js) reaches upgrade handling and shutdown through globalThis,
 * because it runs outside the SvelteKit bundle.
 */
export interface Runtime {
	database: PreparedDatabase;
	handleUpgrade: typeof handleUpgrade;
	shutdown(): Promise<void>;
}

const holder = globalThis as unknown as { __itsmRuntime?: Promise<Runtime> };

export function startRuntime(): Promise<Runtime> {
	holder.__itsmRuntime ??= (async () => {
		const database = await prepareDatabase();
		await startBus();
		// JOBS=0 runs an instance without background workers (e.g. a web-only replica).
		let jobs: JobRunner | null = null;
		let mailPollers: { stop(): Promise<void> } | null = null;
		if (process.env.JOBS !== '0') {
			jobs = await startJobs(database.url, JOBS);
			setRunningJobs(jobs);
			mailPollers = startMailPollers();
		}
		await startConfiguredSmtpListener(); // mail forwarded by SMTP (mail/smtp-listener.ts)
		let stopping: Promise<void> | undefined;
		return {
			database,
			handleUpgrade,
			shutdown() {
				stopping ??= (async () => {
					closeRealtime();
					await stopSmtpListener();
					await mailPollers?.stop();
					await jobs?.stop();
					setRunningJobs(null);
					await stopBus();
					await disconnectDb();
					await closePgPool();
					await database.embedded?.stop();
					log.info('shut down');
				})();
				return stopping;
			}
		};
	})();
	return holder.__itsmRuntime;
}
