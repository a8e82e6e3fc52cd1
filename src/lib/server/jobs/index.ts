import { PgBoss, type Job, type Queue, type SendOptions } from 'pg-boss';
import { log } from '../log';

/**
 * Background jobs on pg-boss, in the app's own PostgreSQL (schema `pgboss`). Every app instance
 * runs workers for every queue; pg-boss hands each job to exactly one of them (SKIP LOCKED), and
 * its cron schedules send one job per tick for all instances together. A job is retried when its
 * worker fails or dies, so handlers must be idempotent: what must happen once is recorded in the
 * same transaction as the effect (e.g. a unique row per ticket and escalation level).
 */
export interface JobDefinition<T extends object = object> {
	/** Queue name: `<domain>.<what>`, e.g. `tickets.sweep-uploads`. */
	name: string;
	/** Cron expression, evaluated in UTC: pg-boss sends one job per tick across all instances. */
	cron?: string;
	/** Retries, expiry, retention… (pg-boss queue options). */
	queue?: Omit<Queue, 'name'>;
	/** Concurrent jobs of this queue per instance (default 1). */
	concurrency?: number;
	run(data: T, job: Job<T>): Promise<void>;
}

/** A definition with its data type erased, for lists of jobs. */
export type AnyJob = JobDefinition<never>;

export const defineJob = <T extends object>(def: JobDefinition<T>): AnyJob =>
	def as unknown as AnyJob;

export interface JobRunner {
	boss: PgBoss;
	send(name: string, data?: object, options?: SendOptions): Promise<string | null>;
	stop(): Promise<void>;
}

const DEFAULT_QUEUE: Omit<Queue, 'name'> = {
	retryLimit: 5,
	retryDelay: 10,
	retryBackoff: true,
	expireInSeconds: 15 * 60
};

/**
 * Starts pg-boss on `url` (installing or migrating its schema when needed), creates the queues,
 * starts the workers and registers the cron schedules.
 */
export async function startJobs(
	url: string,
	definitions: readonly AnyJob[],
	options: { pollingIntervalSeconds?: number; max?: number } = {}
): Promise<JobRunner> {
	const boss = new PgBoss({
		connectionString: url,
		schema: 'pgboss',
		max: options.max ?? 4,
		application_name: 'itsm-jobs'
	});
	let stopping: Promise<void> | undefined;
	// pg errors carry their whole client; log what helps. Lost connections while stopping (the
	// database may be stopping too) are expected.
	boss.on('error', (err: Error & { code?: string }) => {
		if (stopping) return;
		log.error({ err: { message: err.message, code: err.code } }, 'jobs: pg-boss error');
	});
	await boss.start();
	for (const def of definitions) {
		const name = def.name;
		if (!(await boss.getQueue(name)))
			await boss.createQueue(name, { ...DEFAULT_QUEUE, ...def.queue });
		await boss.work<object>(
			name,
			{
				batchSize: 1,
				localConcurrency: def.concurrency ?? 1,
				pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2
			},
			async ([job]) => {
				if (!job) return;
				const started = Date.now();
				try {
					await (def.run as (data: object, job: Job<object>) => Promise<void>)(job.data ?? {}, job);
					log.debug({ job: name, id: job.id, ms: Date.now() - started }, 'job done');
				} catch (err) {
					log.warn({ err, job: name, id: job.id }, 'job failed; pg-boss retries it');
					throw err;
				}
			}
		);
		if (def.cron) await boss.schedule(name, def.cron, {}, { tz: 'UTC' });
	}
	return {
		boss,
		send: (name, data = {}, sendOptions = {}) => boss.send(name, data, sendOptions),
		stop() {
			stopping ??= boss.stop({ graceful: true, timeout: 8000 });
			return stopping;
		}
	};
}

const holder = globalThis as unknown as { __itsmJobs?: JobRunner };

/** The running instance's jobs (set by the runtime); null where jobs are not started. */
export function runningJobs(): JobRunner | null {
	return holder.__itsmJobs ?? null;
}

export function setRunningJobs(runner: JobRunner | null): void {
	holder.__itsmJobs = runner ?? undefined;
}
