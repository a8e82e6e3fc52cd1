import { db } from '../db/client';
import { publish } from '../realtime/bus';

export interface NewNotification {
	type: string;
	title: string;
	body?: string;
	link?: string;
}

/** Stores an in-app notification and pushes the new unread count to the user's sockets. */
export async function notify(userId: string, n: NewNotification): Promise<void> {
	const row = await db().notification.create({
		data: { userId, type: n.type, title: n.title, body: n.body ?? null, link: n.link ?? null }
	});
	await publish({ type: 'NotificationCreated', userId, notificationId: row.id });
}

export function unreadCount(userId: string): Promise<number> {
	return db().notification.count({ where: { userId, readAt: null } });
}

export function listNotifications(userId: string, limit = 30) {
	return db().notification.findMany({
		where: { userId },
		orderBy: { createdAt: 'desc' },
		take: limit,
		select: {
			id: true,
			type: true,
			title: true,
			body: true,
			link: true,
			readAt: true,
			createdAt: true
		}
	});
}

/** Marks the given notifications (or all, without ids) read; only the user's own. */
export async function markRead(userId: string, ids?: string[]): Promise<number> {
	const res = await db().notification.updateMany({
		where: { userId, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
		data: { readAt: new Date() }
	});
	if (res.count > 0) await publish({ type: 'NotificationsRead', userId });
	return res.count;
}
