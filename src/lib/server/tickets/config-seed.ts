import { db } from '../db/client';
import type { Prisma } from '../db/generated/client';

type Tx = Prisma.TransactionClient;

/** Demo categories, two custom fields and shared canned responses (the types come with the
 *  migration). Safe to run twice: what exists already is left alone. */
const CATEGORIES: [string, string[]][] = [
	['Hardware', ['Laptop', 'Printer']],
	['Software', ['Email', 'VPN']],
	['Access', ['Accounts']],
	['Network', []]
];

const FIELDS: Prisma.CustomFieldCreateManyInput[] = [
	{
		key: 'asset_tag',
		label: 'Asset tag',
		kind: 'TEXT',
		helpText: 'The sticker on the device, e.g. LT-0423.',
		public: false,
		position: 0
	},
	{
		key: 'impact',
		label: 'Who is affected?',
		kind: 'SELECT',
		options: ['Single user', 'Team', 'Whole company'],
		helpText: 'Helps us decide what to work on first.',
		public: true,
		position: 1
	}
];

const CANNED: [string, string][] = [
	[
		'Greeting',
		'Hello {{requester.firstName}},\n\nThank you for contacting the service desk. We have received your request #{{ticket.number}} and will get back to you shortly.\n\nBest regards,\n{{agent.name}}'
	],
	[
		'Need more information',
		'Hi {{requester.firstName}},\n\nTo look into “{{ticket.subject}}” we need a little more information:\n\n- When did the problem start?\n- What exactly do you see (an error message or a screenshot helps)?\n- Does it happen on another device too?\n\nThank you,\n{{agent.firstName}}'
	],
	[
		'Resolved — please confirm',
		'Hi {{requester.firstName}},\n\nWe believe ticket #{{ticket.number}} is resolved. Could you check that everything works as expected? If not, just reply to this message and the ticket reopens.\n\nBest regards,\n{{agent.name}}'
	],
	[
		'Password reset steps',
		'Hi {{requester.firstName}},\n\nTo reset your password:\n\n1. Go to the sign-in page and choose **Forgot password**.\n2. Enter {{requester.email}} and follow the link in the email you receive.\n3. Choose a new password of at least 12 characters that you have not used before.\n\nIf the email does not arrive within 10 minutes, reply here and we will reset it for you.\n\n{{agent.name}}'
	]
];

async function seedCategories(tx: Tx): Promise<void> {
	for (const [position, [name, children]] of CATEGORIES.entries()) {
		const parent =
			(await tx.ticketCategory.findFirst({ where: { parentId: null, name } })) ??
			(await tx.ticketCategory.create({ data: { name, position } }));
		for (const [i, child] of children.entries()) {
			await tx.ticketCategory.upsert({
				where: { parentId_name: { parentId: parent.id, name: child } },
				create: { name: child, parentId: parent.id, position: i },
				update: {}
			});
		}
	}
}

export async function seedTicketConfig(tx?: Tx): Promise<void> {
	if (!tx) return db().$transaction((t) => seedTicketConfig(t));
	await seedCategories(tx);
	await tx.customField.createMany({ data: FIELDS, skipDuplicates: true });
	for (const [title, body] of CANNED) {
		const exists = await tx.cannedResponse.findFirst({ where: { ownerId: null, title } });
		if (!exists) await tx.cannedResponse.create({ data: { title, body, ownerId: null } });
	}
}
