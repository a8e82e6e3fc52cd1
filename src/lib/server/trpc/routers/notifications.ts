import { z } from 'zod';
import { listNotifications, markRead, unreadCount } from '../../identity/notifications';
import { events, startBus } from '../../realtime/bus';
import { permitted, router, userOf } from '../init';

export const notificationsRouter = router({
	list: permitted('notification.read').query(({ ctx }) => listNotifications(userOf(ctx).id)),
	unreadCount: permitted('notification.read').query(({ ctx }) => unreadCount(userOf(ctx).id)),
	markRead: permitted('notification.read')
		.input(z.object({ ids: z.array(z.uuid()).max(200).optional() }))
		.mutation(async ({ input, ctx }) => ({ updated: await markRead(userOf(ctx).id, input.ids) })),
	/** Live unread count for the signed-in user only. */
	onCount: permitted('notification.read').subscription(async function* ({ ctx, signal }) {
		const userId = userOf(ctx).id;
		// Listen before reading the count, so a notification in between is not lost.
		const stream = events(signal);
		await startBus();
		yield await unreadCount(userId);
		for await (const event of stream) {
			if (
				(event.type === 'NotificationCreated' || event.type === 'NotificationsRead') &&
				event.userId === userId
			) {
				yield await unreadCount(userId);
			}
		}
	})
});
