import { z } from 'zod';
import { db } from '../db/client';
import { audit } from '../audit';
import { AppError } from '../errors';
import type { Actor } from '../identity/users';

/** The largest file one upload may carry, set by admins (Setting `uploads.maxBytes`). */
export const UPLOAD_LIMIT_KEY = 'uploads.maxBytes';
export const MB = 1024 * 1024;
export const DEFAULT_UPLOAD_LIMIT = 100 * MB;
export const MIN_UPLOAD_LIMIT = 1 * MB;
export const MAX_UPLOAD_LIMIT = 2 * 1024 * MB;

const limitSchema = z.number().int().min(MIN_UPLOAD_LIMIT).max(MAX_UPLOAD_LIMIT);

export async function getUploadLimitBytes(): Promise<number> {
	const row = await db().setting.findUnique({ where: { key: UPLOAD_LIMIT_KEY } });
	const parsed = limitSchema.safeParse(row?.value);
	return parsed.success ? parsed.data : DEFAULT_UPLOAD_LIMIT;
}

export async function uploadLimit() {
	return {
		maxBytes: await getUploadLimitBytes(),
		defaultBytes: DEFAULT_UPLOAD_LIMIT,
		minBytes: MIN_UPLOAD_LIMIT,
		maxAllowedBytes: MAX_UPLOAD_LIMIT
	};
}

export async function setUploadLimitBytes(actor: Actor, bytes: number): Promise<number> {
	const parsed = limitSchema.safeParse(bytes);
	if (!parsed.success) {
		const message = 'Choose a limit between 1 MB and 2 GB (2048 MB).';
		throw new AppError('BAD_REQUEST', message, { bytes: [message] });
	}
	const value = parsed.data;
	await db().$transaction(async (tx) => {
		const before = await tx.setting.findUnique({ where: { key: UPLOAD_LIMIT_KEY } });
		await tx.setting.upsert({
			where: { key: UPLOAD_LIMIT_KEY },
			create: { key: UPLOAD_LIMIT_KEY, value },
			update: { value }
		});
		await audit(tx, {
			actorId: actor.id,
			action: 'settings.update',
			entityType: 'Setting',
			entityId: UPLOAD_LIMIT_KEY,
			data: {
				key: UPLOAD_LIMIT_KEY,
				from: (before?.value as number | undefined) ?? null,
				to: value
			},
			ip: actor.ip
		});
	});
	return value;
}
