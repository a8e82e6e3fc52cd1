import { apiKeysRouter } from './routers/apiKeys';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { cannedResponsesRouter } from './routers/cannedResponses';
import { groupsRouter } from './routers/groups';
import { healthRouter } from './routers/health';
import { meRouter } from './routers/me';
import { notificationsRouter } from './routers/notifications';
import { portalRouter } from './routers/portal';
import { savedViewsRouter } from './routers/savedViews';
import { settingsRouter } from './routers/settings';
import { slaRouter } from './routers/sla';
import { automationRouter } from './routers/automation';
import { mailRouter } from './routers/mail';
import { ticketBulkRouter } from './routers/ticketBulk';
import { ticketConfigRouter } from './routers/ticketConfig';
import { ticketRelationsRouter } from './routers/ticketRelations';
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
	tickets: ticketsRouter,
	ticketRelations: ticketRelationsRouter,
	ticketBulk: ticketBulkRouter,
	ticketConfig: ticketConfigRouter,
	savedViews: savedViewsRouter,
	cannedResponses: cannedResponsesRouter,
	portal: portalRouter,
	settings: settingsRouter,
	sla: slaRouter,
	automation: automationRouter,
	mail: mailRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
