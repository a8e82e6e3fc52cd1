import { createHmac } from 'node:crypto';
import { config } from '../config';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { runningJobs } from '../jobs';
import { log } from '../log';
import { toRestTicket, ticketPages } from '../tickets/rest-json';
import { ticketSelect } from '../tickets/select';
import type { Trigger } from './schemas';
import type { Tx } from './state';

/**
 * Outbound webhooks. A rule's webhook action writes a WebhookDelivery row in the transaction of
 * the ticket change (the outbox: committed with it or not at all); the `automation.webhooks` job,
 * nudged after commit and run every minute, delivers what is due. A delivery is leased
 * (`leasedUntil`) by one instance at a time, so two instances never post it at once. Each try is
 * logged; failures retry after the BACKOFF steps, then the delivery is marked failed. Bodies are
 * signed with the rule's secret (X-Helpdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">); X-Helpdesk-Delivery is stable across retries for receivers to de-duplicate.
 * Ticket work never waits for a receiver.
 */
export const WEBHOOK_JOB = 'automation.webhooks';
/** Minutes before retry n (after the first try, the second…); then failed. */
export const BACKOFF_MINUTES = [1, 5, 30, 120, 720] as const;
export const MAX_ATTEMPTS = BACKOFF_MINUTES.length + 1;
const LEASE_MS = 2 * 60_000;
const BATCH = 20;

export const EVENT_NAMES: Record<Trigger, string> = {
	CREATED: 'ticket.created',
	UPDATED: 'ticket.updated',
	REPLIED: 'ticket.replied',
	TIME: 'ticket.time_rule'
};

/** Writes one delivery per call, its body the ticket as the REST API shows it. */
export async function queueDeliveries(
	tx: Tx,
	ticketId: string,
	trigger: Trigger,
	calls: { ruleId: string; ruleName: string; url: string; headers: Record<string, string> }[],
	changes: Record<string, { from: unknown; to: unknown }> | undefined,
	now: Date
): Promise<number> {
	const row = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: ticketSelect });
	const ticket = toRestTicket(row, ticketPages(config.origin, true));
	const event = EVENT_NAMES[trigger];
	const data = calls.map((c) => ({
		ruleId: c.ruleId,
		ruleName: c.ruleName,
		ticketId,
		url: c.url,
		headers: c.headers,
		event,
		payload: {
			event,
			occurredAt: now.toISOString(),
			rule: { id: c.ruleId, name: c.ruleName },
			ticket,
			...(changes ? { changes } : {})
		} as unknown as Prisma.InputJsonValue,
		nextAttemptAt: now,
		createdAt: now
	}));
	await tx.webhookDelivery.createMany({ data });
	return data.length;
}

export function signature(secret: string, body: string, unixSeconds: number): string {
	const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
	return `t=${unixSeconds},v1=${mac}`;
}

interface Claimed {
	id: string;
	url: string;
	headers: Record<string, string>;
	event: string;
	payload: unknown;
	attempts: number;
	secret: string | null;
}

export interface DeliveryPass {
	delivered: number;
	failed: number;
	retrying: number;
}

/** Delivers every delivery that is due (the job's body); returns what happened. */
export async function runWebhookDeliveries(
	opts: { now?: () => Date; timeoutMs?: number } = {}
): Promise<DeliveryPass> {
	const clock = opts.now ?? (() => new Date());
	const pass: DeliveryPass = { delivered: 0, failed: 0, retrying: 0 };
	for (let round = 0; round < 50; round++) {
		const claimed = await claim(clock());
		if (!claimed.length) break;
		const results = await Promise.all(
			claimed.map((d) => attempt(d, clock, opts.timeoutMs ?? 10_000))
		);
		for (const r of results) pass[r]++;
		if (claimed.length < BATCH) break;
	}
	return pass;
}

async function claim(now: Date): Promise<Claimed[]> {
	return db().$queryRaw<Claimed[]>`
		UPDATE "WebhookDelivery" d
		SET "leasedUntil" = ${new Date(now.getTime() + LEASE_MS)}, attempts = d.attempts + 1
		FROM (
			SELECT w.id FROM "WebhookDelivery" w
			WHERE w.status = 'PENDING' AND w."nextAttemptAt" <= ${now}
				AND (w."leasedUntil" IS NULL OR w."leasedUntil" < ${now})
			ORDER BY w."nextAttemptAt"
			LIMIT ${BATCH}
			FOR UPDATE SKIP LOCKED
		) due
		WHERE d.id = due.id
		RETURNING d.id, d.url, d.headers, d.event, d.payload, d.attempts,
			(SELECT r.secret FROM "AutomationRule" r WHERE r.id = d."ruleId") AS secret`;
}

async function attempt(
	d: Claimed,
	clock: () => Date,
	timeoutMs: number
): Promise<keyof DeliveryPass> {
	const started = Date.now();
	const body = JSON.stringify({ id: d.id, ...(d.payload as object) });
	let statusCode: number | null = null;
	let error: string | null = null;
	let response: string | null = null;
	if (!d.secret) {
		error = 'The rule was deleted; nothing to sign the body with.';
	} else {
		try {
			const res = await fetch(d.url, {
				method: 'POST',
				redirect: 'manual',
				signal: AbortSignal.timeout(timeoutMs),
				headers: {
					...d.headers,
					'content-type': 'application/json',
					'user-agent': 'itsm-helpdesk-webhooks/1',
					'x-helpdesk-event': d.event,
					'x-helpdesk-delivery': d.id,
					'x-helpdesk-signature': signature(d.secret, body, Math.floor(clock().getTime() / 1000))
				},
				body
			});
			statusCode = res.status;
			response = (await res.text()).slice(0, 1000);
			if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
		} catch (err) {
			const e = err as Error & { cause?: { code?: string; message?: string } };
			error =
				e.name === 'TimeoutError'
					? `No answer within ${+(timeoutMs / 1000).toFixed(1)} s`
					: (e.cause?.code ?? e.cause?.message ?? e.message);
		}
	}
	const durationMs = Date.now() - started;
	const now = clock();
	const outcome: keyof DeliveryPass = !error
		? 'delivered'
		: d.attempts >= MAX_ATTEMPTS || !d.secret
			? 'failed'
			: 'retrying';
	const wait = BACKOFF_MINUTES[d.attempts - 1] ?? 0;
	await db().$transaction([
		db().webhookAttempt.create({
			data: { deliveryId: d.id, statusCode, error, durationMs, response, createdAt: now }
		}),
		db().webhookDelivery.update({
			where: { id: d.id },
			data: {
				leasedUntil: null,
				status: outcome === 'delivered' ? 'DELIVERED' : outcome === 'failed' ? 'FAILED' : 'PENDING',
				deliveredAt: outcome === 'delivered' ? now : null,
				nextAttemptAt: outcome === 'retrying' ? new Date(now.getTime() + wait * 60_000) : null
			}
		})
	]);
	if (outcome !== 'delivered') {
		log.warn({ delivery: d.id, url: d.url, error, attempt: d.attempts }, 'webhook not delivered');
	}
	return outcome;
}

/**
 * Sends a delivery again now (admin "redeliver"): a new try, the retry count started over, and
 * the webhook job nudged.
 */
export async function redeliver(id: string): Promise<boolean> {
	const res = await db().webhookDelivery.updateMany({
		where: { id },
		data: { status: 'PENDING', attempts: 0, nextAttemptAt: new Date(), leasedUntil: null }
	});
	if (res.count) await runningJobs()?.send(WEBHOOK_JOB, {});
	return res.count > 0;
}
