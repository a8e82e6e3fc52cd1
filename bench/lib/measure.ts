/** Timing helpers shared by the bench scenarios: one JSON line per scenario, like bench/run.ts. */

export interface Row {
	name: string;
	p50: string;
	p95: string;
	perSecond: number;
	[extra: string]: unknown;
}

export function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function row(name: string, times: number[], seconds: number, extra: object = {}): Row {
	times.sort((a, b) => a - b);
	const r: Row = {
		name,
		p50: percentile(times, 50).toFixed(2) + ' ms',
		p95: percentile(times, 95).toFixed(2) + ' ms',
		perSecond: Math.round(times.length / seconds),
		...extra
	};
	console.log(JSON.stringify(r));
	return r;
}

/** Runs `fn` `runs` times one after another (after a warm-up) and prints p50 / p95 / per second. */
export async function measure(
	name: string,
	fn: (i: number) => Promise<unknown>,
	runs: number,
	warmup = 20
): Promise<Row> {
	for (let i = 0; i < warmup; i++) await fn(i);
	const times: number[] = [];
	const started = performance.now();
	const cpu = process.cpuUsage();
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await fn(i);
		times.push(performance.now() - t);
	}
	const used = process.cpuUsage(cpu);
	// This process's CPU per call (JS, Prisma, pg): on a busy machine, wall time is this plus the
	// database's work plus waiting for a core.
	const cpuMs = ((used.user + used.system) / 1000 / runs).toFixed(2) + ' ms';
	return row(name, times, (performance.now() - started) / 1000, { cpu: cpuMs });
}

/**
 * Runs `total` calls of `fn` with `concurrency` in flight and prints p50 / p95 latency, calls per
 * second and how many failed (`fn` resolves false or throws).
 */
export async function measureConcurrent(
	name: string,
	fn: (i: number, worker: number) => Promise<boolean>,
	total: number,
	concurrency: number
): Promise<Row & { errors: number }> {
	const times: number[] = [];
	let errors = 0;
	let next = 0;
	const firstErrors: string[] = [];
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async (_, worker) => {
			while (next < total) {
				const i = next++;
				const t = performance.now();
				try {
					if (!(await fn(i, worker))) errors++;
				} catch (err) {
					errors++;
					if (firstErrors.length < 3) firstErrors.push(String(err));
				}
				times.push(performance.now() - t);
			}
		})
	);
	const seconds = (performance.now() - started) / 1000;
	const r = row(name, times, seconds, {
		concurrency,
		errors,
		...(firstErrors.length ? { firstErrors } : {})
	});
	return { ...r, errors };
}
