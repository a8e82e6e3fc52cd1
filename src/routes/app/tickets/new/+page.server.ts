import { fail, redirect } from '@sveltejs/kit';
import { callerFor } from '$lib/server/http/context';
import { customFieldValues, formFailure } from '$lib/server/tickets/requester-forms';
import type { Actions, PageServerLoad } from './$types';

/** An agent opens a ticket for someone: every property, any requester (or a new email). */
export const load: PageServerLoad = async (event) => {
	const caller = callerFor(event);
	const [config, groups, agents] = await Promise.all([
		caller.ticketConfig.active(),
		caller.groups.list(),
		caller.users.list({ staff: true, active: true, pageSize: 100 })
	]);
	return {
		types: config.types,
		categories: config.categories.map((c) => ({ id: c.id, path: c.path })),
		fields: config.fields,
		groups: groups.map((g) => ({ id: g.id, name: g.name })),
		agents: agents.items.map((a) => ({ id: a.id, name: a.name }))
	};
};

const orNull = (v: string) => v || null;

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const text = (k: string) => String(form.get(k) ?? '').trim();
		const caller = callerFor(event);
		const { fields } = await caller.ticketConfig.active();
		const requesterId = text('requesterId');
		const email = text('requesterEmail');
		const values = {
			subject: text('subject'),
			description: String(form.get('description') ?? ''),
			priority: (text('priority') || 'MEDIUM') as 'MEDIUM',
			status: (text('status') || undefined) as 'NEW' | undefined,
			typeId: orNull(text('typeId')),
			categoryId: orNull(text('categoryId')),
			groupId: orNull(text('groupId')),
			assigneeId: orNull(text('assigneeId')),
			tags: text('tags')
				.split(',')
				.map((t) => t.trim())
				.filter(Boolean),
			customFields: customFieldValues(form, fields)
		};
		const requester = requesterId
			? { requesterId }
			: email
				? { requester: { email, name: text('requesterName') || undefined } }
				: {};
		// What the form shows again when something needs fixing.
		const back = {
			...values,
			requesterId,
			requesterEmail: email,
			requesterName: text('requesterName'),
			requesterLabel: text('requesterLabel')
		};
		if (!requesterId && !email) {
			return fail(400, {
				values: back,
				fields: { requester: ['Choose who this ticket is for, or type their email address.'] },
				message: 'Some fields need your attention.'
			});
		}
		let number: number;
		try {
			({ number } = await caller.tickets.create({ ...values, ...requester }));
		} catch (err) {
			const f = formFailure(err);
			if (!f) throw err;
			const fieldsOut: Record<string, string[] | undefined> = { ...f.fields };
			for (const k of ['requesterId', 'requester.name']) {
				if (fieldsOut[k]) fieldsOut.requester = fieldsOut[k];
			}
			if (fieldsOut['requester.email']) {
				fieldsOut.requester = ['Choose someone from the list, or type a full email address.'];
			}
			return fail(f.status, { values: back, fields: fieldsOut, message: f.message });
		}
		redirect(303, `/app/tickets/${number}`);
	}
};
