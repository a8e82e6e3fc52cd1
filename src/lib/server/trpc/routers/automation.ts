import { z } from 'zod';
import {
	createRule,
	deleteRule,
	getRule,
	listRules,
	reorderRules,
	rotateSecret,
	ruleOptions,
	setRuleActive,
	updateRule
} from '../../automation/admin';
import { previewRule } from '../../automation/preview';
import { TRIGGERS } from '../../automation/schemas';
import { redeliver } from '../../automation/webhooks';
import { notFound } from '../../errors';
import { draftInput } from '../../sla/admin-schemas';
import { actorOf, permitted, router } from '../init';

const manage = permitted('automation.manage');
const byId = z.object({ id: z.uuid() });

/** Automation admin: event and time rules, their runs and webhook deliveries (IT Managers, Admins). */
export const automationRouter = router({
	list: manage.query(() => listRules()),
	get: manage.input(byId).query(({ input }) => getRule(input.id)),
	options: manage.query(() => ruleOptions()),
	create: manage.input(draftInput).mutation(({ input, ctx }) => createRule(actorOf(ctx), input)),
	update: manage
		.input(z.object({ id: z.uuid(), draft: draftInput }))
		.mutation(({ input, ctx }) => updateRule(actorOf(ctx), input.id, input.draft)),
	setActive: manage
		.input(z.object({ id: z.uuid(), active: z.boolean() }))
		.mutation(({ input, ctx }) => setRuleActive(actorOf(ctx), input.id, input.active)),
	delete: manage.input(byId).mutation(({ input, ctx }) => deleteRule(actorOf(ctx), input.id)),
	reorder: manage
		.input(z.object({ trigger: z.enum(TRIGGERS), ids: z.array(z.uuid()).min(1).max(500) }))
		.mutation(({ input, ctx }) => reorderRules(actorOf(ctx), input.trigger, input.ids)),
	rotateSecret: manage
		.input(byId)
		.mutation(({ input, ctx }) => rotateSecret(actorOf(ctx), input.id)),
	/** "Which recent tickets would this match?" for an unsaved draft (a mutation: drafts are long). */
	preview: manage.input(draftInput).mutation(({ input }) => previewRule(input)),
	redeliver: manage.input(byId).mutation(async ({ input }) => {
		if (!(await redeliver(input.id))) throw notFound('Delivery not found.');
	})
});
