import { db } from '../db/client';
import { AppError, notFound } from '../errors';
import { processInbound } from './ingest';

/**
 * The failed-mail list (Admin → Mail): messages that could not be imported (unparseable, too
 * large, a runaway sender) and those deliberately ignored (our own mail, stray auto-replies),
 * kept whole with the reason. Retry imports one again; discard deletes it; the raw message can be
 * downloaded.
 */
export async function listInbound(status: 'FAILED' | 'IGNORED' = 'FAILED', limit = 100) {
	return db().inboundMail.findMany({
		where: { status },
		orderBy: { receivedAt: 'desc' },
		take: Math.min(Math.max(limit, 1), 500),
		select: {
			id: true,
			channel: true,
			fromAddress: true,
			subject: true,
			size: true,
			reason: true,
			attempts: true,
			receivedAt: true,
			account: { select: { id: true, name: true } }
		}
	});
}

export async function retryInbound(id: string) {
	const res = await db().inboundMail.updateMany({
		where: { id, status: { in: ['FAILED', 'IGNORED'] } },
		data: { status: 'RECEIVED', attempts: 0, reason: null }
	});
	if (!res.count) throw notFound('That message is not in the failed list (any more).');
	const outcome = await processInbound(id);
	if (outcome.status === 'FAILED' || outcome.status === 'IGNORED')
		throw new AppError('CONFLICT', `Still not imported: ${outcome.reason}`);
	return outcome;
}

export async function discardInbound(id: string) {
	const res = await db().inboundMail.deleteMany({
		where: { id, status: { in: ['FAILED', 'IGNORED'] } }
	});
	if (!res.count) throw notFound('That message is not in the failed list (any more).');
}

/** The message as it arrived (.eml). */
export async function rawInbound(id: string) {
	const row = await db().inboundMail.findUnique({
		where: { id },
		select: { raw: true, subject: true }
	});
	if (!row) throw notFound('Message not found.');
	return {
		raw: Buffer.from(row.raw),
		filename: `${(row.subject ?? 'message').replace(/[^\w.-]+/g, '_').slice(0, 60)}.eml`
	};
}
