import { z } from 'zod';
import { listNotifications, markRead, unreadCount } from '../../identity/notifications';
import { events } from '../../realtime/bus';
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
		yield await unreadCount(userId);
		for await (const event of events(signal)) {
			if ((event.type === 'NotificationCreated' || event.type === 'NotificationsRead') && event.userId === userId) {
				yield await unreadCount(userId);
			}
		}
	})
});
