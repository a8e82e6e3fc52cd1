import type { PageData } from './$types';

/**
 * The account form's working copy: text fields as strings ('' for none), numbers as numbers or
 * null. `accountInput` turns it into the server's draft; the server names every bad field.
 */
export type Inbound = 'NONE' | 'IMAP' | 'POP3' | 'SMTP' | 'WEBHOOK';

export interface AccountDraft {
	name: string;
	address: string;
	active: boolean;
	inbound: Inbound;
	host: string;
	port: number | null;
	tls: boolean;
	username: string;
	password: string;
	folder: string;
	afterImport: string;
	moveTo: string;
	pollSeconds: number | null;
	groupId: string;
	typeId: string;
	priority: string;
	smtpHost: string;
	smtpPort: number | null;
	smtpSecurity: string;
	smtpUsername: string;
	smtpPassword: string;
}

export type Account = NonNullable<PageData['account']>;

export function accountDraft(a: Account | null): AccountDraft {
	return {
		name: a?.name ?? '',
		address: a?.address ?? '',
		active: a?.active ?? true,
		inbound: (a?.inbound as Inbound | undefined) ?? 'IMAP',
		host: a?.host ?? '',
		port: a?.port ?? null,
		tls: a?.tls ?? true,
		username: a?.username ?? '',
		password: '',
		folder: a?.folder ?? 'INBOX',
		afterImport: a?.afterImport ?? 'SEEN',
		moveTo: a?.moveTo ?? '',
		pollSeconds: a?.pollSeconds ?? 60,
		groupId: a?.groupId ?? '',
		typeId: a?.typeId ?? '',
		priority: a?.priority ?? 'MEDIUM',
		smtpHost: a?.smtpHost ?? '',
		smtpPort: a?.smtpPort ?? null,
		smtpSecurity: a?.smtpSecurity ?? 'starttls',
		smtpUsername: a?.smtpUsername ?? '',
		smtpPassword: ''
	};
}

/** What the server takes: empty text is "none", an empty password keeps the stored one. */
export function accountInput(f: AccountDraft): Record<string, unknown> {
	const server = f.inbound === 'IMAP' || f.inbound === 'POP3';
	return {
		name: f.name,
		address: f.address,
		active: f.active,
		inbound: f.inbound,
		host: server ? f.host || null : null,
		port: server ? f.port : null,
		tls: f.tls,
		username: server ? f.username || null : null,
		...(server && f.password ? { password: f.password } : {}),
		folder: f.folder || 'INBOX',
		afterImport: f.afterImport,
		moveTo: f.inbound === 'IMAP' && f.afterImport === 'MOVE' ? f.moveTo || null : null,
		pollSeconds: f.pollSeconds ?? undefined,
		groupId: f.groupId || null,
		typeId: f.typeId || null,
		priority: f.priority,
		smtpHost: f.smtpHost || null,
		smtpPort: f.smtpPort,
		smtpSecurity: f.smtpSecurity,
		smtpUsername: f.smtpUsername || null,
		...(f.smtpPassword ? { smtpPassword: f.smtpPassword } : {})
	};
}

/** The usual port for a server kind and its TLS choice. */
export function defaultPort(kind: 'IMAP' | 'POP3', tls: boolean): number {
	if (kind === 'IMAP') return tls ? 993 : 143;
	return tls ? 995 : 110;
}

export function defaultSmtpPort(security: string): number {
	return security === 'tls' ? 465 : security === 'starttls' ? 587 : 25;
}
