import { randomUUID } from 'node:crypto';
import { db } from '../../src/lib/server/db/client';

/** A plain RFC 5322 message; unset headers are left out. */
export function mime(m: {
	from: string;
	to?: string;
	cc?: string;
	subject?: string;
	messageId?: string | null;
	inReplyTo?: string;
	references?: string;
	body?: string;
	headers?: Record<string, string>;
}): Buffer {
	const lines = [
		`From: ${m.from}`,
		`To: ${m.to ?? 'support@mail.test'}`,
		...(m.cc ? [`Cc: ${m.cc}`] : []),
		`Subject: ${m.subject ?? 'Printer on floor 2 is broken'}`,
		'Date: Sat, 05 Dec 2026 10:00:00 +0000',
		...(m.messageId === null
			? []
			: [`Message-ID: <${m.messageId ?? `${randomUUID()}@client.test`}>`]),
		...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
		...(m.references ? [`References: ${m.references}`] : []),
		...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'Content-Transfer-Encoding: 8bit',
		'',
		m.body ?? 'It jams on every page.'
	];
	return Buffer.from(lines.join('\r\n'), 'utf8');
}

export const uniqueAddress = (prefix = 'someone') =>
	`${prefix}-${randomUUID().slice(0, 8)}@customer.test`;

/** A mail account with a unique address (mail accounts are global: keep them unique). */
export async function makeAccount(overrides: Record<string, unknown> = {}) {
	const tag = randomUUID().slice(0, 8);
	return db().mailAccount.create({
		data: {
			name: `Support ${tag}`,
			address: `support-${tag}@mail.test`,
			inbound: 'SMTP',
			webhookSecret: `secret-${tag}`,
			...overrides
		}
	});
}
