/**
 * Typed live events, named entity-then-verb. Each carries who may receive it; the bus delivers
 * an event only to sockets whose user passes `audience`.
 */
export type AppEvent =
	| { type: 'NotificationCreated'; userId: string; notificationId: string }
	| { type: 'NotificationsRead'; userId: string }
	| {
			type: 'UserChanged';
			userId: string;
			change: 'created' | 'updated' | 'deactivated' | 'reactivated' | 'role';
	  }
	| { type: 'GroupChanged'; groupId: string };

export type AppEventType = AppEvent['type'];
