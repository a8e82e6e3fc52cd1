import { db } from './client';
import { hashPassword } from '../identity/passwords';
import type { Role } from './client';
import { seedDemoTickets } from './seed-tickets';
import { seedTicketConfig } from '../tickets/config-seed';
import { seedDemoAutomation } from './seed-automation';
import { seedDemoSla } from './seed-sla';
import { seedDemoMail } from './seed-mail';

export const DEMO_PASSWORD = 'demo1234';

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; title: string }[] = [
	{ email: 'admin@demo.test', name: 'Ada Admin', role: 'ADMIN', title: 'System administrator' },
	{
		email: 'manager@demo.test',
		name: 'Morgan Manager',
		role: 'IT_MANAGER',
		title: 'IT service manager'
	},
	{ email: 'agent@demo.test', name: 'Alex Agent', role: 'AGENT', title: 'Service desk agent' },
	{ email: 'user@demo.test', name: 'Uma User', role: 'END_USER', title: 'Accountant' }
];

const COLLEAGUES: [string, Role, string][] = [
	['Priya Raman', 'AGENT', 'Network engineer'],
	['Jonas Becker', 'AGENT', 'Desktop support'],
	['Lea Schmidt', 'AGENT', 'Desktop support'],
	['Tomás Ortega', 'AGENT', 'Systems engineer'],
	['Grace Okafor', 'IT_MANAGER', 'Head of infrastructure'],
	['Hannah Weber', 'END_USER', 'Marketing'],
	['Oliver Brown', 'END_USER', 'Sales'],
	['Mia Fischer', 'END_USER', 'Finance'],
	['Noah Wagner', 'END_USER', 'Human resources'],
	['Sofia Rossi', 'END_USER', 'Legal'],
	['Lucas Martin', 'END_USER', 'Engineering'],
	['Emma Dubois', 'END_USER', 'Engineering'],
	['Yuki Tanaka', 'END_USER', 'Design'],
	['Amir Haddad', 'END_USER', 'Operations'],
	['Chloe Nguyen', 'END_USER', 'Customer success']
];

const DEPARTMENT_OF: Record<string, string> = {
	Accountant: 'Finance'
};

function emailOf(name: string): string {
	return (
		name
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z]+/g, '.') + '@demo.test'
	);
}

/**
 * Demo data for a first start: the four demo accounts, colleagues, and teams. Runs once per
 * database (remembered in the Setting table), so restarts keep whatever was changed since.
 */
export async function seedDemo(): Promise<boolean> {
	const marker = await db().setting.findUnique({ where: { key: 'demo.seededAt' } });
	if (marker) return false;
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const people = [
		...DEMO_ACCOUNTS.map((a) => ({ ...a, passwordHash })),
		...COLLEAGUES.map(([name, role, title]) => ({
			email: emailOf(name),
			name,
			role,
			title,
			passwordHash: role === 'END_USER' ? null : passwordHash
		}))
	];
	await db().$transaction(async (tx) => {
		await tx.user.createMany({
			data: people.map((p) => ({
				email: p.email,
				name: p.name,
				role: p.role,
				title: p.title,
				department: p.role === 'END_USER' ? (DEPARTMENT_OF[p.title] ?? p.title) : 'IT',
				passwordHash: p.passwordHash
			})),
			skipDuplicates: true
		});
		await tx.user.createMany({
			data: [{ email: 'requester@example.com', name: 'Riley Requester', role: 'REQUESTER' }],
			skipDuplicates: true
		});
		const byEmail = new Map(
			(await tx.user.findMany({ select: { id: true, email: true } })).map((u) => [u.email, u.id])
		);
		const id = (email: string) => byEmail.get(email)!;
		const groups: [string, string, string, string[], string][] = [
			[
				'Service Desk',
				'First line: every new ticket lands here.',
				'manager@demo.test',
				['agent@demo.test', 'jonas.becker@demo.test', 'lea.schmidt@demo.test'],
				'support@demo.test'
			],
			[
				'Network',
				'Switches, Wi-Fi, VPN and firewalls.',
				'grace.okafor@demo.test',
				['priya.raman@demo.test', 'tomas.ortega@demo.test'],
				'network@demo.test'
			],
			[
				'Workplace',
				'Laptops, phones, printers and accessories.',
				'manager@demo.test',
				['jonas.becker@demo.test', 'lea.schmidt@demo.test', 'agent@demo.test'],
				'workplace@demo.test'
			]
		];
		for (const [name, description, manager, members, email] of groups) {
			await tx.group.create({
				data: {
					name,
					description,
					email,
					managerId: id(manager),
					members: { create: members.map((m) => ({ userId: id(m) })) }
				}
			});
		}
		await seedTicketConfig(tx);
		await seedDemoTickets(tx, id);
		await seedDemoSla(tx);
		await seedDemoAutomation(tx, id('manager@demo.test'));
		await seedDemoMail(tx);
		await tx.notification.create({
			data: {
				userId: id('agent@demo.test'),
				type: 'welcome',
				title: 'Welcome to the helpdesk',
				body: 'This is a demo installation. Everything you change stays in ./data.',
				link: '/app'
			}
		});
		await tx.notification.create({
			data: {
				userId: id('user@demo.test'),
				type: 'welcome',
				title: 'Welcome to the self-service portal',
				body: 'Reach the service desk at support@demo.test.',
				link: '/portal'
			}
		});
		await tx.setting.create({ data: { key: 'demo.seededAt', value: new Date().toISOString() } });
	});
	return true;
}
