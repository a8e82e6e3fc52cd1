import { PRIORITY_LABELS, STATUS_LABELS } from '$lib/components/ui';
import type { Priority, Status } from './url';

export const statusLabel = (s: Status) =>
	STATUS_LABELS[s.toLowerCase() as keyof typeof STATUS_LABELS];
export const priorityLabel = (p: Priority) =>
	PRIORITY_LABELS[p.toLowerCase() as keyof typeof PRIORITY_LABELS];

/** "3m", "2h", "5d", then a date: compact times for dense rows. */
export function shortAge(date: Date, now = Date.now()): string {
	const s = Math.max(0, Math.round((now - date.getTime()) / 1000));
	if (s < 60) return 'now';
	if (s < 3600) return `${Math.floor(s / 60)}m`;
	if (s < 86_400) return `${Math.floor(s / 3600)}h`;
	if (s < 30 * 86_400) return `${Math.floor(s / 86_400)}d`;
	return date.toLocaleDateString('en', { month: 'short', day: 'numeric' });
}
