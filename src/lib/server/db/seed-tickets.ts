import { renderMarkdown } from '../tickets/markdown';
import { newAccessToken } from '../tickets/people';
import type { Prisma } from './generated/client';

type Tx = Prisma.TransactionClient;
type Status = 'NEW' | 'OPEN' | 'PENDING' | 'ON_HOLD' | 'RESOLVED' | 'CLOSED';
type Priority = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** [subject, requester email, group, assignee email | '', status, priority, type, tags, hours ago] */
type Demo = [string, string, string, string, Status, Priority, string, string[], number];

const DEMO: Demo[] = [
	[
		'VPN drops every 10 minutes when working from home',
		'lucas.martin@demo.test',
		'Network',
		'priya.raman@demo.test',
		'OPEN',
		'HIGH',
		'Incident',
		['vpn', 'remote'],
		3
	],
	[
		'Printer on 3rd floor prints blank pages',
		'mia.fischer@demo.test',
		'Workplace',
		'agent@demo.test',
		'OPEN',
		'MEDIUM',
		'Incident',
		['printer'],
		5
	],
	[
		'New laptop for starter in Sales (Monday)',
		'oliver.brown@demo.test',
		'Workplace',
		'jonas.becker@demo.test',
		'PENDING',
		'MEDIUM',
		'Service request',
		['onboarding', 'laptop'],
		26
	],
	[
		'Outlook keeps asking for my password',
		'user@demo.test',
		'Service Desk',
		'agent@demo.test',
		'OPEN',
		'HIGH',
		'Incident',
		['outlook', 'email'],
		2
	],
	[
		'Access to the Finance shared drive',
		'user@demo.test',
		'Service Desk',
		'',
		'NEW',
		'LOW',
		'Service request',
		['access'],
		1
	],
	[
		'Wi-Fi in meeting room Ada is very slow',
		'yuki.tanaka@demo.test',
		'Network',
		'',
		'NEW',
		'MEDIUM',
		'Incident',
		['wifi'],
		0.5
	],
	[
		'How do I set up MFA on my new phone?',
		'hannah.weber@demo.test',
		'Service Desk',
		'lea.schmidt@demo.test',
		'RESOLVED',
		'LOW',
		'Question',
		['mfa'],
		50
	],
	[
		'Whole office cannot reach the ERP system',
		'amir.haddad@demo.test',
		'Network',
		'tomas.ortega@demo.test',
		'OPEN',
		'CRITICAL',
		'Incident',
		['erp', 'outage'],
		0.8
	],
	[
		'Monitor flickering after docking station swap',
		'emma.dubois@demo.test',
		'Workplace',
		'lea.schmidt@demo.test',
		'ON_HOLD',
		'LOW',
		'Incident',
		['monitor', 'docking'],
		72
	],
	[
		'Install Adobe Acrobat Pro',
		'sofia.rossi@demo.test',
		'Workplace',
		'agent@demo.test',
		'CLOSED',
		'LOW',
		'Service request',
		['software'],
		240
	],
	[
		'Phishing email received — "invoice overdue"',
		'noah.wagner@demo.test',
		'Service Desk',
		'agent@demo.test',
		'RESOLVED',
		'HIGH',
		'Incident',
		['security', 'phishing'],
		30
	],
	[
		'Recurring VPN disconnects for remote staff',
		'grace.okafor@demo.test',
		'Network',
		'priya.raman@demo.test',
		'OPEN',
		'HIGH',
		'Problem',
		['vpn'],
		20
	],
	[
		'Shared mailbox for the events team',
		'chloe.nguyen@demo.test',
		'Service Desk',
		'',
		'NEW',
		'MEDIUM',
		'Service request',
		['email', 'mailbox'],
		4
	],
	[
		'Laptop battery swelling',
		'lucas.martin@demo.test',
		'Workplace',
		'jonas.becker@demo.test',
		'OPEN',
		'HIGH',
		'Incident',
		['laptop', 'hardware'],
		8
	],
	[
		'Cannot print from the warehouse tablet',
		'requester@example.com',
		'Workplace',
		'',
		'NEW',
		'MEDIUM',
		'Incident',
		['printer'],
		6
	],
	[
		'Password reset for the HR portal',
		'noah.wagner@demo.test',
		'Service Desk',
		'lea.schmidt@demo.test',
		'CLOSED',
		'MEDIUM',
		'Service request',
		['password'],
		400
	],
	[
		'Teams calls drop audio after 5 minutes',
		'hannah.weber@demo.test',
		'Network',
		'',
		'OPEN',
		'MEDIUM',
		'Incident',
		['teams', 'audio'],
		12
	],
	[
		'Request a second monitor',
		'mia.fischer@demo.test',
		'Workplace',
		'agent@demo.test',
		'PENDING',
		'LOW',
		'Service request',
		['monitor'],
		96
	],
	[
		'Is there a guest Wi-Fi password?',
		'oliver.brown@demo.test',
		'Service Desk',
		'agent@demo.test',
		'RESOLVED',
		'LOW',
		'Question',
		['wifi'],
		120
	],
	[
		'Excel crashes when opening large files',
		'mia.fischer@demo.test',
		'Service Desk',
		'',
		'NEW',
		'MEDIUM',
		'Incident',
		['excel'],
		9
	]
];

const CONVERSATION: [kind: 'REPLY' | 'NOTE', who: 'requester' | 'assignee', body: string][] = [
	[
		'REPLY',
		'assignee',
		'Thanks for reporting this. Could you tell me **when** it started and whether anyone near you has the same problem?'
	],
	['REPLY', 'requester', 'It started this morning. My colleague next to me has it too.'],
	[
		'NOTE',
		'assignee',
		'Looks related to the change we rolled out yesterday — checking the logs before replying.'
	]
];

/** Demo tickets with conversations, spread over the last weeks, so every page has content. */
export async function seedDemoTickets(tx: Tx, id: (email: string) => string): Promise<void> {
	const groups = new Map(
		(await tx.group.findMany({ select: { id: true, name: true } })).map((g) => [g.name, g.id])
	);
	const types = new Map(
		(await tx.ticketType.findMany({ select: { id: true, name: true } })).map((t) => [t.name, t.id])
	);
	await tx.group.updateMany({
		where: { name: 'Service Desk' },
		data: { assignment: 'ROUND_ROBIN' }
	});
	await tx.group.updateMany({
		where: { name: 'Workplace' },
		data: { assignment: 'LOAD_BALANCED' }
	});
	const now = Date.now();
	const [counter] = await tx.$queryRaw<{ value: number }[]>`
		UPDATE "Counter" SET value = value + ${DEMO.length} WHERE name = 'ticket' RETURNING value`;
	const first = (counter?.value ?? 1000 + DEMO.length) - DEMO.length + 1;
	for (const [
		i,
		[subject, requester, group, assignee, status, priority, type, tags, hoursAgo]
	] of DEMO.entries()) {
		const createdAt = new Date(now - hoursAgo * 3_600_000);
		const description = `${subject}.\n\nI tried restarting, but it did not help. Could someone have a look?`;
		const done = status === 'RESOLVED' || status === 'CLOSED';
		const requesterId = id(requester);
		const assigneeId = assignee ? id(assignee) : null;
		const ticket = await tx.ticket.create({
			data: {
				number: first + i,
				subject,
				description,
				descriptionHtml: renderMarkdown(description),
				status,
				priority,
				source: i % 4 === 0 ? 'EMAIL' : i % 4 === 1 ? 'PORTAL' : i % 4 === 2 ? 'AGENT' : 'FORM',
				typeId: types.get(type) ?? null,
				requesterId,
				assigneeId,
				groupId: groups.get(group) ?? null,
				tags,
				accessToken: newAccessToken(),
				createdAt,
				updatedAt: createdAt,
				firstResponseAt: status === 'NEW' ? null : new Date(createdAt.getTime() + 1_200_000),
				resolvedAt: done ? new Date(now - hoursAgo * 1_800_000) : null,
				closedAt: status === 'CLOSED' ? new Date(now - hoursAgo * 1_700_000) : null,
				csatRating: status === 'CLOSED' ? 5 : null
			},
			select: { id: true }
		});
		await tx.ticketEvent.create({
			data: {
				ticketId: ticket.id,
				actorId: requesterId,
				field: 'created',
				toValue: 'PORTAL',
				createdAt
			}
		});
		if (status === 'NEW' || !assigneeId) continue;
		const turns = CONVERSATION.slice(0, 1 + (i % 3));
		for (const [j, [kind, who, body]] of turns.entries()) {
			await tx.ticketEntry.create({
				data: {
					ticketId: ticket.id,
					authorId: who === 'requester' ? requesterId : assigneeId,
					kind,
					body,
					bodyHtml: renderMarkdown(body),
					source: 'AGENT',
					createdAt: new Date(createdAt.getTime() + (j + 1) * 1_200_000)
				}
			});
		}
		await tx.ticketEvent.create({
			data: {
				ticketId: ticket.id,
				actorId: assigneeId,
				field: 'status',
				fromValue: 'NEW',
				toValue: status,
				createdAt: new Date(createdAt.getTime() + 1_200_000)
			}
		});
		await tx.ticket.update({
			where: { id: ticket.id },
			data: { updatedAt: new Date(createdAt.getTime() + turns.length * 1_200_000) }
		});
	}
}
