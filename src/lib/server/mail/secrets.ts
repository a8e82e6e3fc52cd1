import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { config } from '../config';

/**
 * Secrets at rest (mail passwords): AES-256-GCM with a key that never lives in the database —
 * ENCRYPTION_KEY (any string; several instances must share it), else a random key generated once
 * into DATA_DIR/encryption.key (mode 600). A stolen database dump alone reveals no password.
 * Stored form: `v1:<iv>:<tag>:<ciphertext>`, base64url parts.
 */
let cached: { source: string; key: Buffer } | undefined;

function key(): Buffer {
	const env = process.env.ENCRYPTION_KEY;
	const source = env ? `env:${env}` : `file:${join(config.dataDir, 'encryption.key')}`;
	if (cached?.source === source) return cached.key;
	let material: string;
	if (env) material = env;
	else {
		const file = source.slice(5);
		if (!existsSync(file)) {
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
		}
		chmodSync(file, 0o600);
		material = readFileSync(file, 'utf8').trim();
	}
	cached = { source, key: createHash('sha256').update(material).digest() };
	return cached.key;
}

export function encryptSecret(plain: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key(), iv);
	const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
	const b = (x: Buffer) => x.toString('base64url');
	return `v1:${b(iv)}:${b(cipher.getAuthTag())}:${b(data)}`;
}

/** The plain secret; throws when the stored value was made with another key or was altered. */
export function decryptSecret(stored: string): string {
	const [v, iv, tag, data] = stored.split(':');
	if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('Unknown secret format.');
	const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
	decipher.setAuthTag(Buffer.from(tag, 'base64url'));
	return Buffer.concat([
		decipher.update(Buffer.from(data, 'base64url')),
		decipher.final()
	]).toString('utf8');
}

/** A short keyed hash (for reply tokens in addresses): not reversible, checkable. */
export function shortMac(purpose: string, value: string, length = 10): string {
	return createHmac('sha256', key())
		.update(`${purpose}:${value}`)
		.digest('base64url')
		.slice(0, length)
		.toLowerCase()
		.replace(/[^a-z0-9]/g, 'x');
}

/** For tests: forget the cached key (after changing ENCRYPTION_KEY or DATA_DIR). */
export function forgetEncryptionKey(): void {
	cached = undefined;
}
