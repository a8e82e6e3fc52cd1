import { resolve } from 'node:path';

/**
 * Settings that must be known before the database is reachable. Everything else an admin
 * configures lives in the Setting table. Read on each call so tests and the CLI can set env.
 */
export const config = {
	/** Where people reach the app (links in webhooks and mail): ORIGIN, else localhost:PORT. */
	get origin(): string {
		const port = Number(process.env.PORT ?? 3000);
		return (process.env.ORIGIN ?? `http://localhost:${port}`).replace(/\/+$/, '');
	},
	get port(): number {
		return Number(process.env.PORT ?? 3000);
	},
	get host(): string {
		return process.env.HOST ?? '0.0.0.0';
	},
	get dataDir(): string {
		return resolve(process.env.DATA_DIR ?? 'data');
	},
	get databaseUrl(): string | undefined {
		return process.env.DATABASE_URL || undefined;
	},
	/** Demo data: on by default for the embedded database, opt-in (SEED_DEMO=1) otherwise. */
	get seedDemo(): boolean {
		const flag = process.env.SEED_DEMO;
		if (flag !== undefined && flag !== '') return flag === '1' || flag === 'true';
		return !process.env.DATABASE_URL;
	},
	get logLevel(): string {
		return process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
	},
	get sessionDays(): number {
		return Number(process.env.SESSION_DAYS ?? 30);
	}
};
