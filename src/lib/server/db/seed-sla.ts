import type { Prisma } from './generated/client';
import { applySla, loadPolicies } from '../sla/apply';
import { germanPublicHolidays } from '../sla/holidays';

type Tx = Prisma.TransactionClient;

const H = 60;
const WEEKDAY = [{ start: '09:00', end: '17:00' }];

/**
 * Demo SLA: a default policy on a 24×7 calendar, and a business-hours policy (Mon–Fri 09:00–17:00
 * Europe/Berlin with German public holidays) for service requests, each with escalation levels;
 * then the demo tickets get their clocks (some are at risk or breached, as in real life).
 */
export async function seedDemoSla(tx: Tx, now = new Date()): Promise<void> {
	const always = await tx.businessCalendar.create({
		data: { name: '24×7', timeZone: 'UTC', alwaysOpen: true }
	});
	const year = now.getUTCFullYear();
	const office = await tx.businessCalendar.create({
		data: {
			name: 'Berlin office hours',
			timeZone: 'Europe/Berlin',
			hours: [WEEKDAY, WEEKDAY, WEEKDAY, WEEKDAY, WEEKDAY, [], []],
			holidays: germanPublicHolidays(year - 1, year + 4) as unknown as Prisma.InputJsonValue
		}
	});
	const serviceDesk = await tx.group.findFirst({ where: { name: 'Service Desk' } });
	await tx.slaPolicy.create({
		data: {
			name: 'Standard (24×7)',
			description: 'Every ticket no other policy covers.',
			isDefault: true,
			calendarId: always.id,
			targets: {
				CRITICAL: { firstResponse: 15, resolution: 4 * H },
				HIGH: { firstResponse: 1 * H, resolution: 8 * H },
				MEDIUM: { firstResponse: 4 * H, resolution: 24 * H },
				LOW: { firstResponse: 8 * H, resolution: 72 * H }
			},
			escalations: {
				create: [
					{
						metric: 'RESOLUTION',
						percent: 75,
						actions: { notify: ['assignee'] },
						position: 0
					},
					{
						metric: 'RESOLUTION',
						percent: 100,
						actions: { notify: ['groupManager'], raisePriority: true },
						position: 1
					},
					{
						metric: 'RESOLUTION',
						afterBreachMinutes: 2 * H,
						actions: serviceDesk
							? { notify: ['groupManager'], assignGroupId: serviceDesk.id }
							: { notify: ['groupManager'] },
						position: 2
					}
				]
			}
		}
	});
	const serviceRequest = await tx.ticketType.findFirst({ where: { name: 'Service request' } });
	await tx.slaPolicy.create({
		data: {
			name: 'Service requests (office hours)',
			description: 'Requests are planned work: business hours in Berlin, public holidays off.',
			position: 1,
			calendarId: office.id,
			conditions: serviceRequest ? { typeIds: [serviceRequest.id] } : {},
			targets: {
				CRITICAL: { firstResponse: 1 * H, resolution: 8 * H },
				HIGH: { firstResponse: 2 * H, resolution: 16 * H },
				MEDIUM: { firstResponse: 4 * H, resolution: 40 * H },
				LOW: { firstResponse: 8 * H, resolution: 80 * H }
			},
			escalations: {
				create: [
					{ metric: 'FIRST_RESPONSE', percent: 75, actions: { notify: ['assignee'] } },
					{ metric: 'RESOLUTION', percent: 100, actions: { notify: ['groupManager'] } }
				]
			}
		}
	});
	const policies = await loadPolicies(tx);
	const tickets = await tx.ticket.findMany({ select: { id: true }, orderBy: { number: 'asc' } });
	for (const t of tickets) await applySla(tx, t.id, 'demo data', now, policies);
}
