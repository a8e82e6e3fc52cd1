import { z } from 'zod';
import { ROLES } from '$lib/permissions';

/** Input schemas shared by tRPC procedures, form actions, REST endpoints and the admin CLI. */
export const emailSchema = z
	.string({ error: 'Email is required.' })
	.trim()
	.toLowerCase()
	.min(1, 'Email is required.')
	.max(254, 'Email must be at most 254 characters.')
	.pipe(z.email('Enter a valid email address.'));

export const passwordSchema = z
	.string({ error: 'Password is required.' })
	.min(8, 'Password must be at least 8 characters.')
	.max(200, 'Password must be at most 200 characters.');

export const roleSchema = z.enum(ROLES, { error: 'Choose a valid role.' });

const optionalText = (label: string, max: number) =>
	z
		.string()
		.trim()
		.max(max, `${label} must be at most ${max} characters.`)
		.nullish()
		.transform((v) => (v ? v : null));

export const signInSchema = z.object({
	email: emailSchema,
	password: z.string({ error: 'Password is required.' }).min(1, 'Password is required.').max(200)
});

export const userProfileSchema = z.object({
	name: z
		.string({ error: 'Name is required.' })
		.trim()
		.min(1, 'Name is required.')
		.max(120, 'Name must be at most 120 characters.'),
	email: emailSchema,
	title: optionalText('Title', 120),
	department: optionalText('Department', 120),
	phone: optionalText('Phone', 40)
});

export const createUserSchema = userProfileSchema.extend({
	role: roleSchema,
	password: passwordSchema.optional(),
	groupIds: z.array(z.uuid()).max(50).default([])
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const updateUserSchema = userProfileSchema.partial().extend({ id: z.uuid() });

export const listUsersSchema = z.object({
	search: z.string().trim().max(100).optional(),
	role: roleSchema.optional(),
	/** Only staff (Admin, IT Manager, Agent): pickers for assignees, managers, team members. */
	staff: z.boolean().optional(),
	active: z.boolean().optional(),
	page: z.number().int().min(1).max(100_000).default(1),
	pageSize: z.number().int().min(1).max(100).default(25)
});
export type ListUsersInput = z.input<typeof listUsersSchema>;

export const groupSchema = z.object({
	name: z
		.string({ error: 'Name is required.' })
		.trim()
		.min(1, 'Name is required.')
		.max(80, 'Name must be at most 80 characters.'),
	description: optionalText('Description', 500),
	email: z
		.string()
		.trim()
		.toLowerCase()
		.max(254)
		.pipe(z.email('Enter a valid email address.'))
		.nullish()
		.or(z.literal('').transform(() => null)),
	managerId: z.uuid().nullish()
});

export const apiKeyNameSchema = z
	.string({ error: 'Name is required.' })
	.trim()
	.min(1, 'Name is required.')
	.max(80, 'Name must be at most 80 characters.');

export const themeSchema = z.enum(['dark', 'light']);
