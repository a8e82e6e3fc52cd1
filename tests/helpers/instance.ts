/**
 * A stand-in app instance for tests: its own Node process and connection pool, running the app's
 * real background jobs (src/lib/server/jobs/definitions.ts) against DATABASE_URL. It sends every
 * periodic job far more often than their cron ticks would (INSTANCE_TICK_MS), for INSTANCE_RUN_MS,
 * then stops. Two of these on one database are two instances racing for the same work.
 */
import { startJobs } from '../../src/lib/server/jobs';
import { JOBS } from '../../src/lib/server/jobs/definitions';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const runMs = Number(process.env.INSTANCE_RUN_MS ?? 8000);
const tickMs = Number(process.env.INSTANCE_TICK_MS ?? 200);
const queues = JOBS.filter((j) => j.cron && j.name !== 'tickets.sweep-uploads').map((j) => j.name);

const runner = await startJobs(url, JOBS, { pollingIntervalSeconds: 0.5, max: 4 });
process.stdout.write('ready\n');
const end = Date.now() + runMs;
while (Date.now() < end) {
	for (const q of queues) await runner.send(q, {});
	await new Promise((r) => setTimeout(r, tickMs));
}
await runner.stop();
process.exit(0);
