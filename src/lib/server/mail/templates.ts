import { z } from 'zod';
import { db } from '../db/client';
import { parseFields } from '../errors';
import type { Prisma } from '../db/generated/client';

/**
 * Mail templates: a subject and a Markdown body with {{placeholders}}. Defaults live here; an
 * admin's edit is a MailTemplate row that wins. Placeholders: those of canned responses
 * ({{requester.firstName}}, {{ticket.number}}, {{ticket.subject}}, {{ticket.status}},
 * {{agent.name}}…) plus {{ticket.url}}, {{message}} (the reply or note that caused the mail) and
 * {{sla.due}}.
 */
export const TEMPLATE_KEYS = [
	'ticket.created',
	'ticket.reply',
	'ticket.status',
	'ticket.assigned',
	'sla.warning'
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export const DEFAULT_TEMPLATES: Record<
	TemplateKey,
	{ label: string; subject: string; body: string }
> = {
	'ticket.created': {
		label: 'New ticket: acknowledgement to the requester',
		subject: 'We received your request: {{ticket.subject}}',
		body: 'Hi {{requester.firstName}},\n\nthanks for getting in touch. Your request is ticket #{{ticket.number}} and our team will get back to you soon.\n\nYou can follow it here: {{ticket.url}}\n\nReply to this email to add anything.'
	},
	'ticket.reply': {
		label: 'Agent reply to the requester',
		subject: 'Re: {{ticket.subject}}',
		body: '{{message}}\n\n---\n{{agent.name}} · ticket #{{ticket.number}} · {{ticket.url}}'
	},
	'ticket.status': {
		label: 'Status change to the requester',
		subject: 'Your request is {{ticket.status}}: {{ticket.subject}}',
		body: 'Hi {{requester.firstName}},\n\nticket #{{ticket.number}} is now **{{ticket.status}}**.\n\nIf something is still not right, just reply to this email and we will pick it up again.\n\n{{ticket.url}}'
	},
	'ticket.assigned': {
		label: 'Assignment to an agent',
		subject: 'Assigned to you: {{ticket.subject}}',
		body: 'Ticket #{{ticket.number}} ({{ticket.subject}}) was assigned to you.\n\n{{ticket.url}}'
	},
	'sla.warning': {
		label: 'SLA warning or breach to agents',
		subject: 'SLA: {{ticket.subject}}',
		body: '{{message}}\n\nTicket #{{ticket.number}}: {{ticket.url}}'
	}
};

export const templateSchema = z.object({
	key: z.enum(TEMPLATE_KEYS, { error: 'Unknown template.' }),
	subject: z
		.string({ error: 'The subject is required.' })
		.trim()
		.min(1, 'The subject is required.')
		.max(300, 'The subject must be at most 300 characters.'),
	body: z
		.string({ error: 'The body is required.' })
		.trim()
		.min(1, 'The body is required.')
		.max(20_000, 'The body must be at most 20,000 characters.')
});

type Db = Prisma.TransactionClient | ReturnType<typeof db>;

export async function templateFor(client: Db, key: TemplateKey) {
	const row = await client.mailTemplate.findUnique({ where: { key } });
	return row ? { subject: row.subject, body: row.body } : DEFAULT_TEMPLATES[key];
}

/** Every template with its current text and whether an admin changed it. */
export async function listTemplates() {
	const rows = await db().mailTemplate.findMany();
	return TEMPLATE_KEYS.map((key) => {
		const row = rows.find((r) => r.key === key);
		return {
			key,
			label: DEFAULT_TEMPLATES[key].label,
			subject: row?.subject ?? DEFAULT_TEMPLATES[key].subject,
			body: row?.body ?? DEFAULT_TEMPLATES[key].body,
			custom: !!row
		};
	});
}

export async function saveTemplate(input: unknown) {
	const t = parseFields(templateSchema, input, 'template');
	await db().mailTemplate.upsert({
		where: { key: t.key },
		create: t,
		update: { subject: t.subject, body: t.body }
	});
}

/** Back to the default text. */
export async function resetTemplate(key: TemplateKey) {
	await db().mailTemplate.deleteMany({ where: { key } });
}

/** {{placeholders}} → values; unknown ones are left as written. */
export function fillTemplate(
	text: string,
	values: Record<string, string | null | undefined>
): string {
	return text.replace(
		/\{\{\s*([A-Za-z]+(?:\.[A-Za-z]+)?)\s*\}\}/g,
		(whole, key: string) => values[key] ?? whole
	);
}
