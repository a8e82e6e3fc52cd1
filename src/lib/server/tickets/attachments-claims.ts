import { createHmac, timingSafeEqual } from 'node:crypto';
import { jwtSecret } from '../identity/secret';

/**
 * Uploads by people without an account have no uploader to match when they are attached. The
 * upload answer carries a claim instead: an HMAC (keyed with the session signing secret) of the
 * attachment id and what it was uploaded for — the public form, or one ticket reached by its
 * private link. The browser sends the claim back with the id; only the uploader ever saw it.
 */
export type ClaimBinding = { ticketId: string } | 'submit';

function bindingText(binding: ClaimBinding): string {
	return binding === 'submit' ? 'submit' : `ticket:${binding.ticketId}`;
}

export async function attachmentClaim(id: string, binding: ClaimBinding): Promise<string> {
	return createHmac('sha256', await jwtSecret())
		.update(`attachment-claim:${id}:${bindingText(binding)}`)
		.digest('base64url');
}

export async function checkAttachmentClaim(
	id: string,
	claim: string | null | undefined,
	binding: ClaimBinding
): Promise<boolean> {
	if (!claim) return false;
	const expected = Buffer.from(await attachmentClaim(id, binding));
	const given = Buffer.from(claim);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** For submitPublicTicket's `checkClaim`: an upload made through /submit/attachments. */
export const checkSubmitClaim = (id: string, claim: string) =>
	checkAttachmentClaim(id, claim, 'submit');
