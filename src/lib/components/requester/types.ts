/** What the requester pages receive (the shape of tickets/requester.ts, as serialised). */
export interface RequesterAttachmentView {
	id: string;
	filename: string;
	contentType: string;
	size: number;
}

export interface RequesterEntryView {
	id: string;
	bodyHtml: string;
	createdAt: Date;
	byRequester: boolean;
	authorName: string;
	attachments: RequesterAttachmentView[];
}

export interface RequesterTicketView {
	number: number;
	subject: string;
	descriptionHtml: string;
	status: string;
	type: string | null;
	requesterName: string;
	createdAt: Date;
	updatedAt: Date;
	resolvedAt: Date | null;
	closedAt: Date | null;
	mergedInto: number | null;
	attachments: RequesterAttachmentView[];
	entries: RequesterEntryView[];
	csat: { rating: number; comment: string | null; at: Date | null } | null;
	can: { reply: boolean; reopen: boolean; rate: boolean };
}

/** Per-field messages from a failed form action. */
export type FormFields = Record<string, string[] | undefined>;

/** An admin-defined ticket field as requester forms render it. */
export interface CustomFieldView {
	key: string;
	label: string;
	kind: 'TEXT' | 'LONG_TEXT' | 'NUMBER' | 'DATE' | 'SELECT' | 'MULTI_SELECT' | 'CHECKBOX';
	options: string[];
	required: boolean;
	helpText: string | null;
	/** Empty: every type. */
	typeIds: string[];
}

export interface TicketTypeView {
	id: string;
	name: string;
	description: string | null;
}
