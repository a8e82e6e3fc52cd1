import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { config } from '../../src/lib/server/config';

const KEYS = [
	'PORT',
	'HOST',
	'DATA_DIR',
	'DATABASE_URL',
	'SEED_DEMO',
	'LOG_LEVEL',
	'NODE_ENV',
	'SESSION_DAYS'
];
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

afterEach(() => {
	for (const k of KEYS) {
		if (saved[k] === undefined) delete process.env[k];
		else process.env[k] = saved[k];
	}
});

function env(values: Record<string, string | undefined>) {
	for (const [k, v] of Object.entries(values)) {
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	}
}

describe('config', () => {
	it('has defaults for a plain start', () => {
		env({
			PORT: undefined,
			HOST: undefined,
			DATA_DIR: undefined,
			SESSION_DAYS: undefined,
			LOG_LEVEL: undefined
		});
		expect(config.port).toBe(3000);
		expect(config.host).toBe('0.0.0.0');
		expect(config.dataDir).toBe(resolve('data'));
		expect(config.sessionDays).toBe(30);
	});

	it('reads the environment on every access', () => {
		env({
			PORT: '8080',
			HOST: '127.0.0.1',
			DATA_DIR: 'var/itsm',
			SESSION_DAYS: '7',
			LOG_LEVEL: 'debug'
		});
		expect(config.port).toBe(8080);
		expect(config.host).toBe('127.0.0.1');
		expect(config.dataDir).toBe(resolve('var/itsm'));
		expect(config.sessionDays).toBe(7);
		expect(config.logLevel).toBe('debug');
	});

	it('logs nothing under test unless asked, info otherwise', () => {
		env({ LOG_LEVEL: undefined, NODE_ENV: 'test' });
		expect(config.logLevel).toBe('silent');
		env({ NODE_ENV: 'production' });
		expect(config.logLevel).toBe('info');
	});

	it('an empty DATABASE_URL counts as unset', () => {
		env({ DATABASE_URL: '' });
		expect(config.databaseUrl).toBeUndefined();
		env({ DATABASE_URL: 'postgresql://db/itsm' });
		expect(config.databaseUrl).toBe('postgresql://db/itsm');
	});

	it('demo data: on for the embedded database, off for an external one, SEED_DEMO decides when set', () => {
		env({ DATABASE_URL: undefined, SEED_DEMO: undefined });
		expect(config.seedDemo).toBe(true);
		env({ DATABASE_URL: 'postgresql://db/itsm' });
		expect(config.seedDemo).toBe(false);
		env({ SEED_DEMO: '' });
		expect(config.seedDemo).toBe(false);
		for (const [flag, on] of [
			['1', true],
			['true', true],
			['0', false],
			['no', false]
		] as const) {
			env({ SEED_DEMO: flag });
			expect(config.seedDemo, flag).toBe(on);
		}
	});
});
