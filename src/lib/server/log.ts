import { pino, type Logger } from 'pino';
import { config } from './config';

/** Structured JSON logs on stdout; each request gets a child logger carrying its request id. */
export const log: Logger = pino({
	level: config.logLevel,
	base: { service: 'itsm-helpdesk' },
	timestamp: pino.stdTimeFunctions.isoTime,
	formatters: { level: (label) => ({ level: label }) }
});
