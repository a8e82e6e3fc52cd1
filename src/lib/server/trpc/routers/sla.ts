import { z } from 'zod';
import {
	createCalendar,
	createPolicy,
	deleteCalendar,
	deletePolicy,
	listCalendars,
	listPolicies,
	makeDefaultPolicy,
	policyOptions,
	previewPolicy,
	reorderPolicies,
	setPolicyActive,
	updateCalendar,
	updatePolicy
} from '../../sla/admin';
import { draftInput } from '../../sla/admin-schemas';
import { germanPublicHolidays } from '../../sla/holidays';
import { actorOf, permitted, router } from '../init';

const manage = permitted('sla.manage');
const byId = z.object({ id: z.uuid() });
const update = z.object({ id: z.uuid(), draft: draftInput });

/** SLA admin: business calendars, policies and their escalation levels (IT Managers, Admins). */
export const slaRouter = router({
	calendars: router({
		list: manage.query(() => listCalendars()),
		create: manage
			.input(draftInput)
			.mutation(({ input, ctx }) => createCalendar(actorOf(ctx), input)),
		update: manage
			.input(update)
			.mutation(({ input, ctx }) => updateCalendar(actorOf(ctx), input.id, input.draft)),
		delete: manage.input(byId).mutation(({ input, ctx }) => deleteCalendar(actorOf(ctx), input.id)),
		/** The nationwide German public holidays, for the editor's helper. */
		germanHolidays: manage
			.input(
				z
					.object({ fromYear: z.number().int().min(1900), toYear: z.number().int().max(2200) })
					.refine((y) => y.toYear >= y.fromYear && y.toYear - y.fromYear <= 20, {
						message: 'Choose at most 20 years, the first before the last.'
					})
			)
			.query(({ input }) => germanPublicHolidays(input.fromYear, input.toYear))
	}),
	policies: router({
		list: manage.query(() => listPolicies()),
		options: manage.query(() => policyOptions()),
		create: manage
			.input(draftInput)
			.mutation(({ input, ctx }) => createPolicy(actorOf(ctx), input)),
		update: manage
			.input(update)
			.mutation(({ input, ctx }) => updatePolicy(actorOf(ctx), input.id, input.draft)),
		setActive: manage
			.input(z.object({ id: z.uuid(), active: z.boolean() }))
			.mutation(({ input, ctx }) => setPolicyActive(actorOf(ctx), input.id, input.active)),
		makeDefault: manage
			.input(byId)
			.mutation(({ input, ctx }) => makeDefaultPolicy(actorOf(ctx), input.id)),
		delete: manage.input(byId).mutation(({ input, ctx }) => deletePolicy(actorOf(ctx), input.id)),
		reorder: manage
			.input(z.object({ ids: z.array(z.uuid()).min(1).max(500) }))
			.mutation(({ input, ctx }) => reorderPolicies(actorOf(ctx), input.ids)),
		preview: manage.input(draftInput).query(({ input }) => previewPolicy(input))
	})
});
