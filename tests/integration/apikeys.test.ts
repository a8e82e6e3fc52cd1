import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { resolveApiKey } from '../../src/lib/server/identity/apikeys';
import { auditOf, callerAs, makeUser, sessionUserOf } from '../helpers/factories';
import { expectCode } from '../helpers/trpc';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('API keys', () => {
	it('a created key resolves to its user; only its SHA-256 and a short prefix are stored', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const owner = await makeUser({ role: 'AGENT' });
		const created = await callerAs(admin).apiKeys.create({
			name: ' CI pipeline ',
			userId: owner.id
		});
		expect(created.key).toMatch(/^itsm_[A-Za-z0-9_-]{32}$/);
		expect(created).toMatchObject({
			name: 'CI pipeline',
			userId: owner.id,
			prefix: created.key.slice(0, 12)
		});

		expect(await resolveApiKey(created.key)).toEqual(sessionUserOf(owner));

		const rows = await db().$queryRaw<Record<string, unknown>[]>`
			SELECT * FROM "ApiKey" WHERE id = ${created.id}::uuid`;
		const row = rows[0] ?? {};
		expect(row.hash).toBe(sha256(created.key));
		const secret = created.key.slice(12);
		for (const [column, value] of Object.entries(row)) {
			expect(String(value), column).not.toContain(secret);
		}
		expect((await auditOf(created.id)).map((a) => [a.action, a.actorId])).toEqual([
			['apiKey.create', admin.id]
		]);
	});

	it('lists never include the key or its hash; "mine" lists only my own', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const other = await makeUser({ role: 'AGENT' });
		const mine = await callerAs(agent).apiKeys.createMine({ name: 'laptop' });
		const theirs = await callerAs(other).apiKeys.createMine({ name: 'laptop' });

		const listed = await callerAs(agent).apiKeys.mine();
		expect(listed.map((k) => k.id)).toEqual([mine.id]);
		expect(listed[0]).not.toHaveProperty('hash');
		expect(listed[0]).not.toHaveProperty('key');
		const admin = await makeUser({ role: 'ADMIN' });
		const all = (await callerAs(admin).apiKeys.list()).map((k) => k.id);
		expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id]));
	});

	it('a revoked key no longer resolves and disappears from the lists', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const owner = await makeUser({ role: 'AGENT' });
		const { id, key } = await callerAs(admin).apiKeys.create({ name: 'old', userId: owner.id });
		expect(await callerAs(admin).apiKeys.revoke({ id })).toEqual({ ok: true });
		expect(await resolveApiKey(key)).toBeNull();
		expect((await callerAs(owner).apiKeys.mine()).map((k) => k.id)).not.toContain(id);
		await expectCode(callerAs(admin).apiKeys.revoke({ id }), 'NOT_FOUND');
		expect((await auditOf(id)).map((a) => a.action)).toEqual(['apiKey.create', 'apiKey.revoke']);
	});

	it("a deactivated user's keys stop working", async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		const owner = await makeUser({ role: 'AGENT' });
		const { key } = await callerAs(owner).apiKeys.createMine({ name: 'script' });
		await callerAs(admin).users.setActive({ id: owner.id, active: false });
		expect(await resolveApiKey(key)).toBeNull();
	});

	it('expired, unknown and malformed keys resolve to null', async () => {
		const owner = await makeUser({ role: 'AGENT' });
		const { id, key } = await callerAs(owner).apiKeys.createMine({ name: 'short-lived' });
		await db().apiKey.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
		expect(await resolveApiKey(key)).toBeNull();
		expect(await resolveApiKey(`itsm_${randomUUID()}`)).toBeNull();
		expect(await resolveApiKey(key.slice(5))).toBeNull();
		expect(await resolveApiKey('')).toBeNull();
	});

	it("revokeMine cannot revoke someone else's key (NOT_FOUND) but revokes my own", async () => {
		const me = await makeUser({ role: 'AGENT' });
		const someone = await makeUser({ role: 'AGENT' });
		const theirs = await callerAs(someone).apiKeys.createMine({ name: 'theirs' });
		const mine = await callerAs(me).apiKeys.createMine({ name: 'mine' });

		await expectCode(callerAs(me).apiKeys.revokeMine({ id: theirs.id }), 'NOT_FOUND');
		expect((await resolveApiKey(theirs.key))?.id).toBe(someone.id);
		expect(await callerAs(me).apiKeys.revokeMine({ id: mine.id })).toEqual({ ok: true });
		expect(await resolveApiKey(mine.key)).toBeNull();
	});

	it('creating a key for a user who does not exist is NOT_FOUND', async () => {
		const admin = await makeUser({ role: 'ADMIN' });
		await expectCode(
			callerAs(admin).apiKeys.create({ name: 'x', userId: randomUUID() }),
			'NOT_FOUND'
		);
	});

	it('lastUsedAt is recorded on use, at most once a minute', async () => {
		const owner = await makeUser({ role: 'AGENT' });
		const { id, key } = await callerAs(owner).apiKeys.createMine({ name: 'usage' });
		const lastUsed = async () =>
			(await db().apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
		expect(await lastUsed()).toBeNull();
		await resolveApiKey(key);
		const first = await lastUsed();
		expect(first).toBeInstanceOf(Date);
		await resolveApiKey(key);
		expect(await lastUsed()).toEqual(first);
		const old = new Date(Date.now() - 5 * 60_000);
		await db().apiKey.update({ where: { id }, data: { lastUsedAt: old } });
		await resolveApiKey(key);
		expect((await lastUsed())!.getTime()).toBeGreaterThan(old.getTime());
	});
});
