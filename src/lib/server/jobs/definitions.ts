import { runTimeRules } from '../automation/time';
import { runWebhookDeliveries, WEBHOOK_JOB } from '../automation/webhooks';
import { processPending } from '../mail/ingest';
import { MAIL_JOB, runMailSend } from '../mail/sender';
import { runSlaCheck } from '../sla/checker';
import { deleteStaleUploads } from '../tickets/attachments';
import { defineJob, type AnyJob } from './index';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every background job the app runs; each instance works all of them. */
export const JOBS: readonly AnyJob[] = [
	defineJob({
		name: 'sla.check',
		cron: '* * * * *',
		// A pass that overlaps the next tick would only find its tickets locked (SKIP LOCKED).
		queue: { expireInSeconds: 5 * 60, retryLimit: 0 },
		async run() {
			await runSlaCheck();
		}
	}),
	defineJob({
		name: 'automation.time',
		cron: '* * * * *',
		// Tickets are locked SKIP LOCKED and each look is recorded: an overlapping pass shares work.
		queue: { expireInSeconds: 5 * 60, retryLimit: 0 },
		async run() {
			await runTimeRules();
		}
	}),
	defineJob({
		name: WEBHOOK_JOB,
		// Nudged after every commit that queued a delivery; the tick picks up retries coming due.
		cron: '* * * * *',
		queue: { expireInSeconds: 5 * 60, retryLimit: 0 },
		async run() {
			await runWebhookDeliveries();
		}
	}),
	defineJob({
		name: MAIL_JOB,
		// Nudged after every commit that queued mail; the tick picks up retries coming due.
		cron: '* * * * *',
		queue: { expireInSeconds: 5 * 60, retryLimit: 0 },
		async run() {
			await runMailSend();
		}
	}),
	defineJob({
		name: 'mail.process-pending',
		// Messages stored but not yet imported (a crash mid-import, a database outage).
		cron: '* * * * *',
		queue: { expireInSeconds: 5 * 60, retryLimit: 0 },
		async run() {
			await processPending();
		}
	}),
	defineJob({
		name: 'tickets.sweep-uploads',
		cron: '17 * * * *',
		// Uploads never attached to a ticket within a day (a form abandoned after uploading).
		async run() {
			await deleteStaleUploads(DAY_MS);
		}
	})
];
