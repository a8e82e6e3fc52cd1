export const TIMED_OUT = Symbol('timed out');

/** The promise's value, or TIMED_OUT after `ms` (the promise keeps running). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
		timer = setTimeout(() => resolve(TIMED_OUT), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The first value of `iterator` that matches, failing after `ms`. */
export async function nextMatching<T>(
	iterator: AsyncIterator<T>,
	match: (value: T) => boolean,
	ms = 5000
): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const left = deadline - Date.now();
		const result = await within(iterator.next(), Math.max(left, 0));
		if (result === TIMED_OUT) throw new Error(`no matching value within ${ms} ms`);
		if (result.done) throw new Error('the iterator ended before a matching value');
		if (match(result.value)) return result.value;
	}
}

/** Resolves once `check` returns true, polling every 20 ms; fails after `ms`. */
export async function eventually(
	check: () => boolean | Promise<boolean>,
	ms = 5000
): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 20));
	}
}
