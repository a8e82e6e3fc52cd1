import { db } from './db/client';

export interface Health {
	status: 'ok' | 'degraded';
	database: { status: 'up' | 'down'; latencyMs?: number; error?: string };
	uptimeSeconds: number;
	version: string;
}

/** Liveness of the app and its database, for /healthz and load balancers. */
export async function checkHealth(): Promise<Health> {
	const started = performance.now();
	const base = {
		uptimeSeconds: Math.round(process.uptime()),
		version: process.env.npm_package_version ?? '0.1.0'
	};
	try {
		await Promise.race([
			db().$queryRaw`SELECT 1`,
			new Promise((_, reject) =>
				setTimeout(() => reject(new Error('timed out after 2 s')), 2000).unref()
			)
		]);
		return {
			status: 'ok',
			database: { status: 'up', latencyMs: Math.round(performance.now() - started) },
			...base
		};
	} catch (err) {
		// Prisma's messages start with a blank line and end with the actual reason.
		const reason = (err as Error).message.trim().split('\n').at(-1)?.trim();
		return { status: 'degraded', database: { status: 'down', error: reason }, ...base };
	}
}
