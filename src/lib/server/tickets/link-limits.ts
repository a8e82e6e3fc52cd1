import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { pgPool } from '../db/pool';
import { AppError } from '../errors';
import { consumeAnonymousUpload } from './attachments-http';

/**
 * Rate limits on the private link (/t/<token>), counted in PostgreSQL so every app instance
 * shares them. Per address: one network across every link it holds. Per link: whoever holds it,
 * from however many addresses (a link forwarded or leaked). A link is counted by its ticket's id,
 * never by the token, so the table holds no working links.
 */

/** Replies through one private link per 10 minutes. */
export const LINK_REPLIES_PER_10_MIN = 20;
/** Replies through private links from one IP address per hour. */
export const LINK_REPLIES_PER_IP_PER_HOUR = 60;
/** Files uploaded through one private link per hour (each address also has its own limit,
 *  ANONYMOUS_UPLOADS_PER_10_MIN, shared with /submit). */
export const LINK_UPLOADS_PER_HOUR = 60;

interface Limit {
	prefix: string;
	points: number;
	seconds: number;
	message: (wait: string) => string;
}

const REPLIES_PER_LINK: Limit = {
	prefix: 'linkReply',
	points: LINK_REPLIES_PER_10_MIN,
	seconds: 600,
	message: (wait) =>
		`This ticket received many replies in a short time. Please wait ${wait} and send your message again; it is kept below.`
};
const REPLIES_PER_IP: Limit = {
	prefix: 'linkReplyIp',
	points: LINK_REPLIES_PER_IP_PER_HOUR,
	seconds: 3_600,
	message: (wait) =>
		`We received many replies from your network in a short time. Please wait ${wait} and send your message again; it is kept below.`
};
const UPLOADS_PER_LINK: Limit = {
	prefix: 'linkUpload',
	points: LINK_UPLOADS_PER_HOUR,
	seconds: 3_600,
	message: (wait) => `Too many files were added to this ticket recently. Try again in ${wait}.`
};

const holder = globalThis as unknown as { __itsmLinkLimiters?: Map<string, RateLimiterPostgres> };

function limiter(limit: Limit): RateLimiterPostgres {
	const all = (holder.__itsmLinkLimiters ??= new Map());
	let l = all.get(limit.prefix);
	if (!l) {
		l = new RateLimiterPostgres({
			storeClient: pgPool(),
			storeType: 'pool',
			tableName: 'RateLimit',
			tableCreated: true,
			keyPrefix: limit.prefix,
			points: limit.points,
			duration: limit.seconds
		});
		all.set(limit.prefix, l);
	}
	return l;
}

const waitText = (seconds: number) =>
	seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;

async function consume(limit: Limit, key: string, points = 1): Promise<void> {
	try {
		await limiter(limit).consume(key, points);
	} catch (res) {
		if (!(res instanceof RateLimiterRes)) throw res;
		const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
		throw new AppError('TOO_MANY_REQUESTS', limit.message(waitText(seconds)), undefined, seconds);
	}
}

/**
 * Counts a reply through the link of `ticketId` from `ip`; TOO_MANY_REQUESTS past either limit.
 * The address is counted first, so attempts from a network already refused do not use up the
 * link's budget (and lock its requester out).
 */
export async function consumeLinkReply(ticketId: string, ip: string): Promise<void> {
	await consume(REPLIES_PER_IP, ip);
	await consume(REPLIES_PER_LINK, ticketId);
}

/** Counts `files` uploads through the link of `ticketId` from `ip` (address first, as above). */
export async function consumeLinkUpload(ticketId: string, ip: string, files = 1): Promise<void> {
	await consumeAnonymousUpload(ip, files);
	await consume(UPLOADS_PER_LINK, ticketId, files);
}
