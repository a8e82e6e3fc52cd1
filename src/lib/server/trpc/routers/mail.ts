import { z } from 'zod';
import {
	createAccount,
	deleteAccount,
	getAccount,
	listAccounts,
	rotateWebhookSecret,
	sendTestMail,
	testInbound,
	testOutbound,
	updateAccount
} from '../../mail/accounts';
import { discardInbound, listInbound, retryInbound } from '../../mail/failed';
import { getSmtpListenerSettings } from '../../mail/listener-settings';
import { saveSmtpListenerSettings } from '../../mail/smtp-listener';
import { listTemplates, resetTemplate, saveTemplate, TEMPLATE_KEYS } from '../../mail/templates';
import { draftInput } from '../../sla/admin-schemas';
import { actorOf, permitted, router } from '../init';

const manage = permitted('settings.manage');
const byId = z.object({ id: z.uuid() });
const draft = z.object({ id: z.uuid().optional(), draft: draftInput });

/** Admin → Mail: accounts, the SMTP listener, templates and the failed-mail list (Admins). */
export const mailRouter = router({
	accounts: router({
		list: manage.query(() => listAccounts()),
		get: manage.input(byId).query(({ input }) => getAccount(input.id)),
		create: manage
			.input(draftInput)
			.mutation(({ input, ctx }) => createAccount(actorOf(ctx), input)),
		update: manage
			.input(z.object({ id: z.uuid(), draft: draftInput }))
			.mutation(({ input, ctx }) => updateAccount(actorOf(ctx), input.id, input.draft)),
		delete: manage.input(byId).mutation(({ input, ctx }) => deleteAccount(actorOf(ctx), input.id)),
		rotateWebhookSecret: manage
			.input(byId)
			.mutation(({ input, ctx }) => rotateWebhookSecret(actorOf(ctx), input.id)),
		/** The form as it is now (unsaved), with the stored password when none was typed. */
		testInbound: manage.input(draft).mutation(({ input }) => testInbound(input.id, input.draft)),
		testOutbound: manage.input(draft).mutation(({ input }) => testOutbound(input.id, input.draft)),
		sendTest: manage
			.input(z.object({ id: z.uuid(), to: z.string().max(320) }))
			.mutation(({ input }) => sendTestMail(input.id, input.to))
	}),
	listener: router({
		get: manage.query(() => getSmtpListenerSettings()),
		set: manage
			.input(draftInput)
			.mutation(({ input, ctx }) => saveSmtpListenerSettings(actorOf(ctx), input))
	}),
	templates: router({
		list: manage.query(() => listTemplates()),
		save: manage.input(draftInput).mutation(({ input }) => saveTemplate(input)),
		reset: manage
			.input(z.object({ key: z.enum(TEMPLATE_KEYS) }))
			.mutation(({ input }) => resetTemplate(input.key))
	}),
	inbound: router({
		list: manage
			.input(
				z
					.object({ status: z.enum(['FAILED', 'IGNORED']).default('FAILED') })
					.default({ status: 'FAILED' })
			)
			.query(({ input }) => listInbound(input.status)),
		retry: manage.input(byId).mutation(({ input }) => retryInbound(input.id)),
		discard: manage.input(byId).mutation(({ input }) => discardInbound(input.id))
	})
});
