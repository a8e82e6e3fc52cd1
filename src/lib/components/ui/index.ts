export { default as Avatar, avatarSlot, initials } from './Avatar.svelte';
export { default as Badge } from './Badge.svelte';
export {
	default as Button,
	type ButtonProps,
	type ButtonSize,
	type ButtonVariant
} from './Button.svelte';
export { default as Card } from './Card.svelte';
export { default as Checkbox } from './Checkbox.svelte';
export { default as DropdownMenu } from './DropdownMenu.svelte';
export { default as EmptyState } from './EmptyState.svelte';
export { default as Input } from './Input.svelte';
export { default as MenuItem } from './MenuItem.svelte';
export { default as MenuSeparator } from './MenuSeparator.svelte';
export { default as Modal } from './Modal.svelte';
export { default as Select, type SelectOption } from './Select.svelte';
export { default as Skeleton } from './Skeleton.svelte';
export { default as Spinner } from './Spinner.svelte';
export { default as Table } from './Table.svelte';
export { default as Tabs, type TabItem } from './Tabs.svelte';
export { default as Textarea } from './Textarea.svelte';
export { default as Toaster } from './Toaster.svelte';
export { toast, type ToastAction, type ToastOptions, type ToastTone } from './toast.svelte';
export {
	PRIORITY_LABELS,
	STATUS_LABELS,
	TICKET_PRIORITIES,
	TICKET_STATUSES,
	priorityColor,
	statusColor,
	tokenValue,
	type IconComponent,
	type TicketPriority,
	type TicketStatus,
	type Tone
} from './types';
