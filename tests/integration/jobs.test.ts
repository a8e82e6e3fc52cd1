import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { defineJob, startJobs, type JobRunner } from '../../src/lib/server/jobs';
import { JOBS } from '../../src/lib/server/jobs/definitions';

/**
 * pg-boss on the test database, with two runners standing in for two app instances: every job is
 * worked by exactly one of them, failures are retried, and both registering the same cron
 * schedule leaves one schedule.
 */
const runners: JobRunner[] = [];
afterAll(async () => {
	await Promise.all(runners.map((r) => r.stop()));
});

async function until(check: () => boolean, ms = 30_000) {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('jobs', () => {
	it('two instances work each job exactly once, and a failing job is retried', async () => {
		const queue = `test.once-${randomUUID().slice(0, 8)}`;
		const seen: { n: number; instance: string }[] = [];
		let failuresLeft = 2;
		const job = (instance: string) =>
			defineJob<{ n: number }>({
				name: queue,
				concurrency: 4,
				queue: { retryLimit: 3, retryDelay: 1, retryBackoff: false },
				async run({ n }) {
					await new Promise((r) => setTimeout(r, 5));
					if (n === 7 && failuresLeft > 0) {
						failuresLeft--;
						throw new Error('flaky endpoint');
					}
					seen.push({ n, instance });
				}
			});
		const url = inject('databaseUrl');
		const a = await startJobs(url, [job('a')], { pollingIntervalSeconds: 0.5, max: 3 });
		runners.push(a);
		const b = await startJobs(url, [job('b')], { pollingIntervalSeconds: 0.5, max: 3 });
		runners.push(b);

		const total = 120;
		for (let n = 0; n < total; n++) await (n % 2 ? a : b).send(queue, { n });
		await until(() => seen.length >= total);
		await new Promise((r) => setTimeout(r, 1500)); // a duplicate would show up by now

		const counts = new Map<number, number>();
		for (const s of seen) counts.set(s.n, (counts.get(s.n) ?? 0) + 1);
		expect(counts.size).toBe(total);
		expect([...counts.values()].every((c) => c === 1)).toBe(true);
		expect(failuresLeft).toBe(0);
		expect(new Set(seen.map((s) => s.instance))).toEqual(new Set(['a', 'b']));
	});

	it('a cron schedule registered by two instances exists once', async () => {
		const url = inject('databaseUrl');
		const queue = `test.cron-${randomUUID().slice(0, 8)}`;
		const def = defineJob({ name: queue, cron: '*/5 * * * *', async run() {} });
		const a = await startJobs(url, [def]);
		runners.push(a);
		const b = await startJobs(url, [def]);
		runners.push(b);
		const schedules = await a.boss.getSchedules(queue);
		expect(schedules).toHaveLength(1);
		expect(schedules[0]!.cron).toBe('*/5 * * * *');
	});

	it('the app registers its jobs, and the upload sweep runs', async () => {
		const sweep = JOBS.find((j) => j.name === 'tickets.sweep-uploads')!;
		await expect(sweep.run({} as never, {} as never)).resolves.toBeUndefined();
		const names = JOBS.map((j) => j.name);
		expect(new Set(names).size).toBe(names.length);
		expect(names).toContain('tickets.sweep-uploads');
		for (const j of JOBS) expect(j.name).toMatch(/^[a-z]+\.[a-z-]+$/);
	});
});
