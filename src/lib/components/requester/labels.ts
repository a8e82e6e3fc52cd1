/** Status names as requesters read them (the staff app uses the shorter STATUS_LABELS). */
export const REQUESTER_STATUS: Record<string, string> = {
	NEW: 'Received',
	OPEN: 'In progress',
	PENDING: 'Waiting for your reply',
	ON_HOLD: 'On hold',
	RESOLVED: 'Resolved',
	CLOSED: 'Closed'
};

export const RATING_LABELS = ['Very poor', 'Poor', 'Okay', 'Good', 'Excellent'] as const;

/** "1.2 MB" */
export function fileSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
