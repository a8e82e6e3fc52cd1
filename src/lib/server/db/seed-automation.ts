import { randomBytes } from 'node:crypto';
import type { Prisma } from './generated/client';
import type { Action, Conditions, TimeAnchor, Trigger } from '../automation/schemas';

type Tx = Prisma.TransactionClient;

interface DemoRule {
	name: string;
	description: string;
	trigger: Trigger;
	conditions: Conditions;
	actions: Action[];
	active?: boolean;
	stopProcessing?: boolean;
	time?: { anchor: TimeAnchor; minutes: number };
}

const DAY = 24 * 60;

/**
 * Demo automation: the rules a service desk starts with (route VPN tickets to Network, react to
 * "urgent" replies, close resolved tickets after 7 days, remind after 3 days pending, escalate
 * unassigned tickets after 30 minutes) and a disabled webhook example.
 */
export async function seedDemoAutomation(tx: Tx, createdById: string | null): Promise<void> {
	const network = await tx.group.findFirst({ where: { name: 'Network' }, select: { id: true } });
	const rules: DemoRule[] = [
		...(network
			? [
					{
						name: 'Route VPN tickets to Network',
						description: 'New tickets that mention the VPN go to the Network team, tagged.',
						trigger: 'CREATED' as const,
						conditions: {
							match: 'any' as const,
							conditions: [
								{ field: 'subject' as const, op: 'contains', value: 'vpn' },
								{ field: 'description' as const, op: 'contains', value: 'vpn' }
							]
						},
						actions: [
							{ type: 'assignGroup' as const, groupId: network.id, autoAssign: true },
							{ type: 'addTags' as const, tags: ['vpn'] }
						]
					}
				]
			: []),
		{
			name: 'Requester says it is urgent',
			description:
				'A requester’s reply mentioning "urgent" raises the priority and tells the assignee.',
			trigger: 'REPLIED',
			conditions: {
				match: 'all',
				conditions: [
					{ field: 'replyAuthor', op: 'in', value: ['requester'] },
					{ field: 'text', op: 'contains', value: 'urgent' },
					{ field: 'priority', op: 'in', value: ['LOW', 'MEDIUM'] }
				]
			},
			actions: [
				{ type: 'set', field: 'priority', value: 'HIGH' },
				{
					type: 'notify',
					recipients: ['assignee'],
					userIds: [],
					title: '#{{ticket.number}}: the requester says it is urgent',
					message: '{{ticket.subject}}'
				}
			]
		},
		{
			name: 'Post critical tickets to the on-call chat (example)',
			description: 'Disabled example: point the URL at your chat tool’s incoming webhook.',
			trigger: 'CREATED',
			active: false,
			conditions: {
				match: 'all',
				conditions: [{ field: 'priority', op: 'in', value: ['CRITICAL'] }]
			},
			actions: [
				{ type: 'webhook', url: 'https://chat.example.invalid/hooks/helpdesk', headers: {} }
			]
		},
		{
			name: 'Close tickets resolved for 7 days',
			description: 'Resolved tickets nobody reopened are closed a week later.',
			trigger: 'TIME',
			time: { anchor: 'statusChanged', minutes: 7 * DAY },
			conditions: {
				match: 'all',
				conditions: [{ field: 'status', op: 'in', value: ['RESOLVED'] }]
			},
			actions: [{ type: 'set', field: 'status', value: 'CLOSED' }]
		},
		{
			name: 'Remind the requester after 3 days pending',
			description: 'One friendly reminder per pending period.',
			trigger: 'TIME',
			time: { anchor: 'statusChanged', minutes: 3 * DAY },
			conditions: { match: 'all', conditions: [{ field: 'status', op: 'in', value: ['PENDING'] }] },
			actions: [
				{
					type: 'reply',
					internal: false,
					body: 'Hi {{requester.firstName}},\n\nwe are still waiting for your answer on #{{ticket.number}} ({{ticket.subject}}). Reply to this message and we will pick it up right away.'
				}
			]
		},
		{
			name: 'Escalate unassigned tickets after 30 minutes',
			description: 'Nobody took it: the team lead hears about it.',
			trigger: 'TIME',
			time: { anchor: 'created', minutes: 30 },
			conditions: {
				match: 'all',
				conditions: [
					{ field: 'status', op: 'in', value: ['NEW', 'OPEN'] },
					{ field: 'assignee', op: 'isEmpty' },
					{ field: 'group', op: 'isNotEmpty' }
				]
			},
			actions: [
				{ type: 'addTags', tags: ['unassigned-30m'] },
				{
					type: 'notify',
					recipients: ['groupManager'],
					userIds: [],
					title: '#{{ticket.number}} is unassigned after 30 minutes',
					message: '{{ticket.subject}}'
				}
			]
		}
	];
	const position: Partial<Record<Trigger, number>> = {};
	for (const r of rules) {
		position[r.trigger] = (position[r.trigger] ?? -1) + 1;
		await tx.automationRule.create({
			data: {
				name: r.name,
				description: r.description,
				trigger: r.trigger,
				position: position[r.trigger]!,
				active: r.active ?? true,
				stopProcessing: r.stopProcessing ?? false,
				conditions: r.conditions as unknown as Prisma.InputJsonValue,
				actions: r.actions as unknown as Prisma.InputJsonValue,
				timeAnchor: r.time?.anchor ?? null,
				timeMinutes: r.time?.minutes ?? null,
				secret: randomBytes(32).toString('hex'),
				createdById
			}
		});
	}
}
