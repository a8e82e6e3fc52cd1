import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';
import { audit } from '../audit';
import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { AppError, parseFields, type FieldErrors } from '../errors';
import type { Actor } from '../identity/users';
import { maxMailBytes } from './receive';

/**
 * The SMTP listener's settings (Setting `mail.smtpListener`, edited by admins); what is not stored
 * comes from the environment: SMTP_LISTEN (1/0), SMTP_LISTEN_HOST, SMTP_LISTEN_PORT,
 * SMTP_LISTEN_DOMAINS (comma-separated), SMTP_TLS_CERT / SMTP_TLS_KEY (PEM files: STARTTLS) and
 * MAIL_MAX_BYTES. Without SMTP_LISTEN or a port it is on only in a demo installation.
 */
export const SMTP_LISTENER_KEY = 'mail.smtpListener';
export const MIN_MAIL_BYTES = 1024;

export interface SmtpListenerSettings {
	enabled: boolean;
	host: string;
	port: number;
	/** Domains accepted at RCPT time; null: whatever the active SMTP accounts' addresses use. */
	domains: string[] | null;
	maxBytes: number;
	/** Paths of PEM files; STARTTLS is offered only when both are set. */
	tlsCert: string | null;
	tlsKey: string | null;
}

const HOST =
	/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const DOMAIN = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

const pathField = (what: string) =>
	z
		.string({ error: `The ${what} must be a file path.` })
		.trim()
		.max(1000, `The ${what} path is too long.`)
		.nullable()
		.transform((v) => v || null);

const domainList = z
	.union([z.array(z.string({ error: 'Each domain must be text.' })), z.string(), z.null()], {
		error: 'List the domains as text, separated by commas.'
	})
	.transform((v) => {
		const list = typeof v === 'string' ? v.split(/[\s,;]+/) : (v ?? []);
		const clean = [...new Set(list.map((d) => d.trim().toLowerCase()).filter(Boolean))];
		return clean.length ? clean : null;
	})
	.superRefine((list, ctx) => {
		const bad = list?.find((d) => !DOMAIN.test(d));
		if (bad) ctx.addIssue({ code: 'custom', message: `“${bad}” is not a domain name.` });
		if ((list?.length ?? 0) > 100)
			ctx.addIssue({ code: 'custom', message: 'At most 100 domains.' });
	});

/** What an admin may store; every field optional (unset: the environment's default). */
export function smtpListenerInputSchema(limit = maxMailBytes()) {
	const mb = Math.floor(limit / 1024 / 1024);
	return z
		.object({
			enabled: z.boolean({ error: 'Choose on or off.' }),
			host: z
				.string({ error: 'Enter the address to listen on.' })
				.trim()
				.refine((h) => IPV4.test(h) || HOST.test(h) || /^[0-9a-f:]+$/i.test(h), {
					message: 'Enter an IP address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0.'
				}),
			port: z
				.number({ error: 'The port must be a number.' })
				.int('The port must be a whole number.')
				.min(1, 'Choose a port between 1 and 65535.')
				.max(65535, 'Choose a port between 1 and 65535.'),
			domains: domainList,
			maxBytes: z
				.number({ error: 'The size limit must be a number of bytes.' })
				.int('The size limit must be a whole number of bytes.')
				.min(MIN_MAIL_BYTES, 'The size limit must be at least 1 KB (1024 bytes).')
				.max(limit, `The size limit can be at most ${mb} MB (MAIL_MAX_BYTES).`),
			tlsCert: pathField('certificate'),
			tlsKey: pathField('private key')
		})
		.partial()
		.strict();
}

export type SmtpListenerInput = z.input<ReturnType<typeof smtpListenerInputSchema>>;
type Stored = z.output<ReturnType<typeof smtpListenerInputSchema>>;

function envDefaults(demo: boolean): SmtpListenerSettings {
	const e = process.env;
	const flag = e.SMTP_LISTEN?.trim();
	const port = Number(e.SMTP_LISTEN_PORT);
	const domains = (e.SMTP_LISTEN_DOMAINS ?? '')
		.split(/[\s,;]+/)
		.map((d) => d.trim().toLowerCase())
		.filter(Boolean);
	return {
		enabled: flag ? flag === '1' || flag === 'true' : !!e.SMTP_LISTEN_PORT || demo,
		host: e.SMTP_LISTEN_HOST?.trim() || '127.0.0.1',
		port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 2525,
		domains: domains.length ? domains : null,
		maxBytes: maxMailBytes(),
		tlsCert: e.SMTP_TLS_CERT?.trim() || null,
		tlsKey: e.SMTP_TLS_KEY?.trim() || null
	};
}

async function stored(tx: Prisma.TransactionClient = db()): Promise<Stored> {
	const row = await tx.setting.findUnique({ where: { key: SMTP_LISTENER_KEY } });
	// A value stored under an older, looser rule is ignored field by field, not as a whole.
	const value = (row?.value ?? {}) as Record<string, unknown>;
	const schema = smtpListenerInputSchema();
	const out: Record<string, unknown> = {};
	for (const [k, field] of Object.entries(schema.shape)) {
		if (!(k in value)) continue;
		const parsed = field.safeParse(value[k]);
		if (parsed.success) out[k] = parsed.data;
	}
	return out as Stored;
}

/** The settings in force: stored values over the environment's defaults. */
export async function getSmtpListenerSettings(): Promise<SmtpListenerSettings> {
	const demo = await db().setting.findUnique({ where: { key: 'demo.seededAt' } });
	const defaults = envDefaults(!!demo);
	const s = await stored();
	const merged = { ...defaults };
	for (const [k, v] of Object.entries(s)) if (v !== undefined) Object.assign(merged, { [k]: v });
	merged.maxBytes = Math.min(merged.maxBytes, maxMailBytes());
	return merged;
}

/** The domains mail is accepted for: the configured ones, else those of active SMTP accounts. */
export async function acceptedDomains(settings: SmtpListenerSettings): Promise<string[]> {
	if (settings.domains) return settings.domains;
	const rows = await db().mailAccount.findMany({
		where: { active: true, inbound: 'SMTP' },
		select: { address: true }
	});
	return [
		...new Set(rows.map((r) => r.address.slice(r.address.lastIndexOf('@') + 1).toLowerCase()))
	].sort();
}

/** The certificate and key as PEM, or field errors saying what is wrong with them. */
export function readTlsFiles(cert: string | null, key: string | null) {
	const fields: FieldErrors = {};
	if (!cert !== !key) {
		const message = 'Set both the certificate and the private key, or neither.';
		fields[cert ? 'tlsKey' : 'tlsCert'] = [message];
		return { fields };
	}
	if (!cert || !key) return { fields };
	const read = (path: string, field: 'tlsCert' | 'tlsKey') => {
		try {
			return readFileSync(path);
		} catch (err) {
			fields[field] = [`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`];
			return null;
		}
	};
	const pem = { cert: read(cert, 'tlsCert'), key: read(key, 'tlsKey') };
	if (pem.cert && pem.key) {
		try {
			createSecureContext({ cert: pem.cert, key: pem.key });
			return { fields, cert: pem.cert, key: pem.key };
		} catch (err) {
			fields.tlsCert = [`The certificate and key do not work together: ${(err as Error).message}`];
		}
	}
	return { fields };
}

/**
 * Stores the fields given (the others keep their stored value or the environment's default; null
 * clears the domains or the TLS files). The TLS files are read and tried as a pair before saving.
 * Returns the settings in force; smtp-listener.ts `restartSmtpListener` applies them.
 */
export async function setSmtpListenerSettings(
	actor: Actor,
	input: unknown
): Promise<SmtpListenerSettings> {
	const patch = parseFields(smtpListenerInputSchema(), input, 'SMTP listener setting');
	await db().$transaction(async (tx) => {
		const before = await stored(tx);
		const next = { ...before, ...patch };
		const current = { ...envDefaults(false), ...next };
		const tls = readTlsFiles(current.tlsCert ?? null, current.tlsKey ?? null);
		if (Object.keys(tls.fields).length) {
			throw new AppError(
				'BAD_REQUEST',
				Object.values(tls.fields)[0]?.[0] ?? 'Check the TLS files.',
				tls.fields
			);
		}
		const value = next as Prisma.InputJsonValue;
		await tx.setting.upsert({
			where: { key: SMTP_LISTENER_KEY },
			create: { key: SMTP_LISTENER_KEY, value },
			update: { value }
		});
		await audit(tx, {
			actorId: actor.id,
			action: 'settings.update',
			entityType: 'Setting',
			entityId: SMTP_LISTENER_KEY,
			data: { key: SMTP_LISTENER_KEY, from: before, to: next } as Prisma.InputJsonValue,
			ip: actor.ip
		});
	});
	return getSmtpListenerSettings();
}
