import { z } from 'zod';

/** Input schemas for the admin-defined ticket configuration (types, categories, custom fields). */
export const CUSTOM_FIELD_KINDS = [
	'TEXT',
	'LONG_TEXT',
	'NUMBER',
	'DATE',
	'SELECT',
	'MULTI_SELECT',
	'CHECKBOX'
] as const;
export type CustomFieldKindName = (typeof CUSTOM_FIELD_KINDS)[number];
export const SELECT_KINDS: readonly CustomFieldKindName[] = ['SELECT', 'MULTI_SELECT'];

export const CONFIG_ENTITIES = ['type', 'category', 'field'] as const;
export type ConfigEntity = (typeof CONFIG_ENTITIES)[number];

const name = (label: string, max: number) =>
	z
		.string({ error: `${label} is required.` })
		.trim()
		.min(1, `${label} is required.`)
		.max(max, `${label} must be at most ${max} characters.`);

const optionalText = (label: string, max: number) =>
	z
		.string()
		.trim()
		.max(max, `${label} must be at most ${max} characters.`)
		.nullish()
		.transform((v) => (v ? v : null));

const position = z
	.number({ error: 'Position must be a number.' })
	.int('Position must be a whole number.')
	.min(0, 'Position cannot be negative.')
	.max(10_000, 'Position must be at most 10000.')
	.default(0);

export const ticketTypeSchema = z.object({
	name: name('Name', 80),
	description: optionalText('Description', 500),
	position,
	active: z.boolean().default(true)
});
export type TicketTypeInput = z.input<typeof ticketTypeSchema>;

export const ticketCategorySchema = z.object({
	name: name('Name', 80),
	parentId: z.uuid('Choose a valid parent category.').nullish(),
	position,
	active: z.boolean().default(true)
});
export type TicketCategoryInput = z.input<typeof ticketCategorySchema>;

/** `asset_tag`, `impact`: lower-case letters, digits and underscores, starting with a letter. */
export const fieldKeySchema = z
	.string({ error: 'Key is required.' })
	.trim()
	.min(1, 'Key is required.')
	.max(64, 'Key must be at most 64 characters.')
	.regex(
		/^[a-z][a-z0-9_]*$/,
		'Key may use lower-case letters, digits and _ and must start with a letter.'
	);

const option = z
	.string()
	.trim()
	.min(1, 'Options cannot be empty.')
	.max(100, 'Options must be at most 100 characters.');

const customFieldObject = z.object({
	key: fieldKeySchema,
	label: name('Label', 80),
	kind: z.enum(CUSTOM_FIELD_KINDS, { error: 'Choose a valid field kind.' }),
	options: z.array(option).max(100, 'At most 100 options.').default([]),
	required: z.boolean().default(false),
	public: z.boolean().default(false),
	/** Empty: every ticket type. */
	typeIds: z
		.array(z.uuid('Choose valid ticket types.'))
		.max(50)
		.default([])
		.transform((ids) => [...new Set(ids)]),
	helpText: optionalText('Help text', 300),
	position,
	active: z.boolean().default(true)
});

/** Choice fields need options, each once (case-insensitive); other kinds keep none. */
function withOptions<S extends z.ZodType<z.output<typeof customFieldObject>>>(schema: S) {
	return schema
		.transform((f: z.output<S>) => (SELECT_KINDS.includes(f.kind) ? f : { ...f, options: [] }))
		.superRefine((f, ctx) => {
			if (!SELECT_KINDS.includes(f.kind)) return;
			if (f.options.length === 0) {
				ctx.addIssue({
					code: 'custom',
					path: ['options'],
					message: 'Add at least one option for a choice field.'
				});
			}
			const seen = new Set<string>();
			for (const o of f.options) {
				const k = o.toLowerCase();
				if (seen.has(k)) {
					ctx.addIssue({
						code: 'custom',
						path: ['options'],
						message: `The option “${o}” is listed twice.`
					});
					return;
				}
				seen.add(k);
			}
		});
}

export const customFieldSchema = withOptions(customFieldObject);
export type CustomFieldInput = z.input<typeof customFieldSchema>;

const id = z.uuid();
export const idSchema = z.object({ id });
export const ticketTypeUpdateSchema = ticketTypeSchema.extend({ id });
export const ticketCategoryUpdateSchema = ticketCategorySchema.extend({ id });
export const customFieldUpdateSchema = withOptions(customFieldObject.extend({ id }));

export const setActiveSchema = z.object({
	entity: z.enum(CONFIG_ENTITIES),
	id,
	active: z.boolean()
});

/** The new order of one list (or of one category's children): positions follow the ids. */
export const reorderSchema = z.object({
	entity: z.enum(CONFIG_ENTITIES),
	ids: z.array(id).min(1).max(500)
});
