import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import {
	BACKOFF_MINUTES,
	MAX_ATTEMPTS,
	redeliver,
	runWebhookDeliveries
} from '../../src/lib/server/automation/webhooks';
import { useOwnDatabase } from '../helpers/database';
import { makeUser } from '../helpers/factories';
import { makeTicket } from '../helpers/tickets';
import { clearRules, forgetRuleAdmin, historyOf, makeRule } from '../helpers/automation';

/** A webhook receiver on 127.0.0.1 that answers with whatever `reply` says. */
interface Hit {
	headers: IncomingHttpHeaders;
	body: string;
}
let server: Server;
let base: string;
let hits: Hit[] = [];
let reply: (hit: Hit) => { status: number; body?: string } | 'hang' = () => ({ status: 204 });

let restore: () => Promise<void>;
beforeAll(async () => {
	({ restore } = await useOwnDatabase());
	forgetRuleAdmin();
	server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			const hit = { headers: req.headers, body };
			hits.push(hit);
			const r = reply(hit);
			if (r === 'hang') return; // never answers
			res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body ?? '');
		});
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise((ok) => server.close(ok));
	await restore();
});
beforeEach(async () => {
	await clearRules();
	await db().webhookDelivery.deleteMany();
	hits = [];
	reply = () => ({ status: 204 });
});

const hookRule = (path = '/hook', headers: Record<string, string> = {}) =>
	makeRule({
		name: `Post ${path}`,
		trigger: 'CREATED',
		conditions: {
			match: 'all',
			conditions: [{ field: 'subject', op: 'contains', value: 'webhook' }]
		},
		actions: [{ type: 'webhook', url: `${base}${path}`, headers }]
	});

const deliveriesOf = (ruleId: string) =>
	db().webhookDelivery.findMany({
		where: { ruleId },
		include: { log: { orderBy: { id: 'asc' } } },
		orderBy: { createdAt: 'asc' }
	});

describe('outbound webhooks', () => {
	it('posts the ticket as signed JSON after the change committed, never during it', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const rule = await hookRule('/hook', { 'X-Team': 'ops' });
		const t = await makeTicket(agent, { subject: 'webhook: new laptop', priority: 'HIGH' });
		// The ticket is created without waiting for the receiver: the delivery is queued.
		expect(hits).toHaveLength(0);
		const [queued] = await deliveriesOf(rule.id);
		expect(queued).toMatchObject({ status: 'PENDING', attempts: 0, event: 'ticket.created' });
		expect((await historyOf(t.id)).map((h) => h.toValue)).toEqual([
			`webhook to ${new URL(base).host}`
		]);

		expect(await runWebhookDeliveries()).toEqual({ delivered: 1, failed: 0, retrying: 0 });
		expect(hits).toHaveLength(1);
		const [hit] = hits;
		const body = JSON.parse(hit!.body);
		expect(body).toMatchObject({
			id: queued!.id,
			event: 'ticket.created',
			rule: { id: rule.id, name: rule.name },
			ticket: { number: t.number, subject: 'webhook: new laptop', priority: 'high' }
		});
		expect(body.ticket.url).toMatch(new RegExp(`/app/tickets/${t.number}$`));
		expect(hit!.headers['content-type']).toBe('application/json');
		expect(hit!.headers['x-helpdesk-event']).toBe('ticket.created');
		expect(hit!.headers['x-helpdesk-delivery']).toBe(queued!.id);
		expect(hit!.headers['x-team']).toBe('ops');
		// The signature: HMAC-SHA256 over "<t>.<body>" with the rule's secret.
		const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(
			String(hit!.headers['x-helpdesk-signature'])
		)!;
		const expected = createHmac('sha256', rule.secret).update(`${ts}.${hit!.body}`).digest('hex');
		expect(mac).toBe(expected);
		expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);

		const [done] = await deliveriesOf(rule.id);
		expect(done).toMatchObject({ status: 'DELIVERED', attempts: 1 });
		expect(done!.log).toHaveLength(1);
		expect(done!.log[0]).toMatchObject({ statusCode: 204, error: null });
		// Nothing is due any more.
		expect(await runWebhookDeliveries()).toEqual({ delivered: 0, failed: 0, retrying: 0 });
	});

	it('retries a failing endpoint with backoff, logs every try, then gives up', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const rule = await hookRule('/broken');
		reply = () => ({ status: 500, body: 'database is down' });
		await makeTicket(agent, { subject: 'webhook please' });

		let now = Date.now();
		const clock = () => new Date(now);
		expect(await runWebhookDeliveries({ now: clock })).toMatchObject({ retrying: 1 });
		let [d] = await deliveriesOf(rule.id);
		expect(d!.status).toBe('PENDING');
		expect(d!.nextAttemptAt!.getTime() - now).toBe(BACKOFF_MINUTES[0] * 60_000);
		expect(d!.log[0]).toMatchObject({
			statusCode: 500,
			error: 'HTTP 500',
			response: 'database is down'
		});

		// Not due yet: nothing is sent.
		expect(await runWebhookDeliveries({ now: clock })).toEqual({
			delivered: 0,
			failed: 0,
			retrying: 0
		});
		for (let i = 1; i < MAX_ATTEMPTS; i++) {
			now += BACKOFF_MINUTES[i - 1]! * 60_000;
			await runWebhookDeliveries({ now: clock });
		}
		[d] = await deliveriesOf(rule.id);
		expect(d).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, nextAttemptAt: null });
		expect(d!.log).toHaveLength(MAX_ATTEMPTS);
		expect(hits).toHaveLength(MAX_ATTEMPTS);

		// Redeliver: one more try now; the endpoint works again.
		reply = () => ({ status: 200 });
		expect(await redeliver(d!.id)).toBe(true);
		expect(await runWebhookDeliveries()).toMatchObject({ delivered: 1 });
		expect(await redeliver('00000000-0000-4000-8000-000000000000')).toBe(false);
	});

	it('a receiver that does not answer times out; unreachable hosts are recorded', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const slow = await hookRule('/slow');
		reply = () => 'hang';
		await makeTicket(agent, { subject: 'webhook slow' });
		const started = Date.now();
		expect(await runWebhookDeliveries({ timeoutMs: 300 })).toMatchObject({ retrying: 1 });
		expect(Date.now() - started).toBeLessThan(5_000);
		const [d] = await deliveriesOf(slow.id);
		expect(d!.log[0]!.error).toBe('No answer within 0.3 s');

		await clearRules();
		// A port nobody listens on: taken, then given back.
		const probe = createServer();
		await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
		const closed = (probe.address() as AddressInfo).port;
		await new Promise((ok) => probe.close(ok));
		const dead = await makeRule({
			trigger: 'CREATED',
			conditions: {
				match: 'all',
				conditions: [{ field: 'subject', op: 'contains', value: 'dead' }]
			},
			actions: [{ type: 'webhook', url: `http://127.0.0.1:${closed}/nothing-listens` }]
		});
		await makeTicket(agent, { subject: 'dead end' });
		await runWebhookDeliveries();
		const [e] = await deliveriesOf(dead.id);
		expect(e!.log[0]!.error).toBe('ECONNREFUSED');
		expect(e!.status).toBe('PENDING');
	});

	it('two runners at once post each delivery exactly once', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const rule = await hookRule('/many');
		// Slow answers keep the first runner busy while the second one looks.
		reply = () => ({ status: 200 });
		for (let i = 0; i < 45; i++) await makeTicket(agent, { subject: `webhook ${i}` });
		const [a, b] = await Promise.all([runWebhookDeliveries(), runWebhookDeliveries()]);
		expect(a.delivered + b.delivered).toBe(45);
		expect(hits).toHaveLength(45);
		const ids = hits.map((h) => h.headers['x-helpdesk-delivery']);
		expect(new Set(ids).size).toBe(45);
		const rows = await deliveriesOf(rule.id);
		expect(rows.every((r) => r.status === 'DELIVERED' && r.attempts === 1)).toBe(true);
	});

	it('a deleted rule’s pending delivery fails without a call (nothing to sign with)', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const rule = await hookRule('/orphan');
		await makeTicket(agent, { subject: 'webhook orphan' });
		await db().automationRule.delete({ where: { id: rule.id } });
		expect(await runWebhookDeliveries()).toMatchObject({ failed: 1 });
		expect(hits).toHaveLength(0);
		const d = await db().webhookDelivery.findFirstOrThrow({ include: { log: true } });
		expect(d.status).toBe('FAILED');
		expect(d.log[0]!.error).toContain('deleted');
	});
});
