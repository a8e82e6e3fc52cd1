import { randomBytes } from 'node:crypto';
import type { Prisma } from './generated/client';

/**
 * The demo mailbox: support@demo.test, received by the SMTP listener (on 127.0.0.1:2525 in a demo
 * installation), new tickets going to the Service Desk. Send it a mail with any client and watch
 * the ticket appear (README, "Send a test mail").
 */
export async function seedDemoMail(tx: Prisma.TransactionClient): Promise<void> {
	const serviceDesk = await tx.group.findFirst({
		where: { name: 'Service Desk' },
		select: { id: true }
	});
	await tx.mailAccount.create({
		data: {
			name: 'Support',
			address: 'support@demo.test',
			inbound: 'SMTP',
			webhookSecret: `whsec_${randomBytes(24).toString('base64url')}`,
			groupId: serviceDesk?.id ?? null
		}
	});
}
