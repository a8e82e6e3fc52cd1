import type { Component } from 'svelte';
import type { LucideProps } from '@lucide/svelte';

/** Any icon component from `@lucide/svelte` (or one with the same props). */
export type IconComponent = Component<LucideProps>;

export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const PRIORITY_LABELS: Record<TicketPriority, string> = {
	low: 'Low',
	medium: 'Medium',
	high: 'High',
	critical: 'Critical'
};

export const STATUS_LABELS: Record<TicketStatus, string> = {
	new: 'New',
	open: 'Open',
	pending: 'Pending',
	on_hold: 'On hold',
	resolved: 'Resolved',
	closed: 'Closed'
};

/** CSS custom property holding the fixed colour of a priority (for charts, dots, bars). */
export function priorityColor(priority: TicketPriority | Uppercase<TicketPriority>): string {
	return `var(--priority-${priority.toLowerCase()})`;
}

/** CSS custom property holding the fixed colour of a status (for charts, dots, bars). */
export function statusColor(status: TicketStatus | Uppercase<TicketStatus>): string {
	return `var(--status-${status.toLowerCase().replace('_', '-')})`;
}

export type Tone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger' | 'info';

/**
 * Resolve a token to its current computed value (for canvas/Chart.js, which cannot read
 * `var(--x)`). Browser only; returns '' during SSR. Re-read after a theme change.
 */
export function tokenValue(name: `--${string}`, el?: Element): string {
	if (typeof window === 'undefined') return '';
	return getComputedStyle(el ?? document.documentElement)
		.getPropertyValue(name)
		.trim();
}
