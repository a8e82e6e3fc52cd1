import { apiKeysRouter } from './routers/apiKeys';
import { auditRouter } from './routers/audit';
import { meRouter } from './routers/me';
import { authRouter } from './routers/auth';
import { groupsRouter } from './routers/groups';
import { healthRouter } from './routers/health';
import { notificationsRouter } from './routers/notifications';
import { ticketsRouter } from './routers/tickets';
import { usersRouter } from './routers/users';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	auth: authRouter,
	me: meRouter,
	audit: auditRouter,
	health: healthRouter,
	users: usersRouter,
	groups: groupsRouter,
	apiKeys: apiKeysRouter,
	notifications: notificationsRouter,
	tickets: ticketsRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
