import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/lib/server/db/client';
import { AppError } from '../../src/lib/server/errors';
import { createField, createType } from '../../src/lib/server/tickets/config';
import { validateCustomFields } from '../../src/lib/server/tickets/custom-fields';
import { callerAs, makeUser } from '../helpers/factories';
import { makeTicket } from '../helpers/tickets';
import { errorShape, expectCode } from '../helpers/trpc';

const uid = () => randomUUID().slice(0, 8);
const actor = { id: null, ip: null };

/** The field errors of a failed validation (fails the test when it passed). */
async function errorsOf(promise: Promise<unknown>): Promise<Record<string, string[]>> {
	try {
		await promise;
	} catch (err) {
		expect(err).toBeInstanceOf(AppError);
		expect((err as AppError).code).toBe('BAD_REQUEST');
		expect((err as AppError).message).toBe('Some fields are not valid.');
		return (err as AppError).fields ?? {};
	}
	throw new Error('expected the values to be refused');
}

// Every field here is limited to this file's own type, so tickets elsewhere are not affected.
let typeId: string;
let otherTypeId: string;
const k = {
	text: `text_${uid()}`,
	long: `long_${uid()}`,
	num: `num_${uid()}`,
	date: `date_${uid()}`,
	one: `one_${uid()}`,
	many: `many_${uid()}`,
	box: `box_${uid()}`,
	req: `req_${uid()}`,
	secret: `secret_${uid()}`,
	off: `off_${uid()}`,
	other: `other_${uid()}`
};

beforeAll(async () => {
	typeId = (await createType(actor, { name: `CF ${uid()}` })).id;
	otherTypeId = (await createType(actor, { name: `CF other ${uid()}` })).id;
	const base = { typeIds: [typeId], public: true };
	await createField(actor, { ...base, key: k.text, label: 'Text', kind: 'TEXT' });
	await createField(actor, { ...base, key: k.long, label: 'Long', kind: 'LONG_TEXT' });
	await createField(actor, { ...base, key: k.num, label: 'Number', kind: 'NUMBER' });
	await createField(actor, { ...base, key: k.date, label: 'Date', kind: 'DATE' });
	const options = ['Single user', 'Team', 'Whole company'];
	await createField(actor, { ...base, key: k.one, label: 'Impact', kind: 'SELECT', options });
	await createField(actor, { ...base, key: k.many, label: 'Sites', kind: 'MULTI_SELECT', options });
	await createField(actor, { ...base, key: k.box, label: 'Agree', kind: 'CHECKBOX' });
	await createField(actor, { ...base, key: k.req, label: 'Asset', kind: 'TEXT', required: true });
	await createField(actor, {
		typeIds: [typeId],
		key: k.secret,
		label: 'Internal code',
		kind: 'TEXT',
		required: true
	});
	await createField(actor, { ...base, key: k.off, label: 'Off', kind: 'TEXT', active: false });
	await createField(actor, {
		typeIds: [otherTypeId],
		key: k.other,
		label: 'Other',
		kind: 'TEXT'
	});
});

const required = () => ({ [k.req]: 'LT-1', [k.secret]: 'X' });

describe('validateCustomFields', () => {
	it('normalises every kind: trims text, parses numbers, matches options whatever their case', async () => {
		const result = await validateCustomFields(
			{
				...required(),
				[k.text]: '  hello  ',
				[k.long]: 'line 1\nline 2',
				[k.num]: ' 42.5 ',
				[k.date]: '2026-02-28',
				[k.one]: 'team',
				[k.many]: ['whole company', 'Single user', 'Team', 'team'],
				[k.box]: 'on'
			},
			{ typeId }
		);
		expect(result).toEqual({
			...required(),
			[k.text]: 'hello',
			[k.long]: 'line 1\nline 2',
			[k.num]: 42.5,
			[k.date]: '2026-02-28',
			[k.one]: 'Team',
			[k.many]: ['Single user', 'Team', 'Whole company'],
			[k.box]: true
		});
		const more = await validateCustomFields(
			{ ...required(), [k.num]: -3, [k.many]: 'Team', [k.box]: false },
			{ typeId }
		);
		expect(more).toMatchObject({ [k.num]: -3, [k.many]: ['Team'], [k.box]: false });
	});

	it('reports every invalid value at once, each under customFields.<key>', async () => {
		const fields = await errorsOf(
			validateCustomFields(
				{
					[k.text]: 'x'.repeat(501),
					[k.long]: 'y'.repeat(10_001),
					[k.num]: 'many',
					[k.date]: '2026-02-30',
					[k.one]: 'Everyone',
					[k.many]: ['Team', 'Mars'],
					[k.box]: 'maybe',
					unknown_key: 'x'
				},
				{ typeId }
			)
		);
		expect(fields).toEqual({
			[`customFields.${k.text}`]: ['Must be at most 500 characters.'],
			[`customFields.${k.long}`]: ['Must be at most 10,000 characters.'],
			[`customFields.${k.num}`]: ['Enter a number.'],
			[`customFields.${k.date}`]: ['That date does not exist.'],
			[`customFields.${k.one}`]: ['Choose one of: Single user, Team, Whole company.'],
			[`customFields.${k.many}`]: ['“Mars” is not one of the options.'],
			[`customFields.${k.box}`]: ['Must be checked or unchecked.'],
			'customFields.unknown_key': ['This field is not available for this ticket.'],
			[`customFields.${k.req}`]: ['Asset is required.'],
			[`customFields.${k.secret}`]: ['Internal code is required.']
		});
	});

	it('refuses wrong shapes: non-text text, infinite numbers, badly written dates, non-objects', async () => {
		const fields = await errorsOf(
			validateCustomFields(
				{
					...required(),
					[k.text]: 12,
					[k.num]: Infinity,
					[k.date]: '28.02.2026',
					[k.one]: ['Team']
				},
				{ typeId }
			)
		);
		expect(fields).toEqual({
			[`customFields.${k.text}`]: ['Enter text.'],
			[`customFields.${k.num}`]: ['Enter a number.'],
			[`customFields.${k.date}`]: ['Enter a date as YYYY-MM-DD.'],
			[`customFields.${k.one}`]: ['Choose one of: Single user, Team, Whole company.']
		});
		expect(await errorsOf(validateCustomFields(['a'], { typeId }))).toEqual({
			customFields: ['Custom fields must be an object.']
		});
	});

	it('applies only the active fields of the ticket type; fields without types apply to all', async () => {
		const fields = await errorsOf(
			validateCustomFields({ ...required(), [k.off]: 'x', [k.other]: 'y' }, { typeId })
		);
		expect(Object.keys(fields).sort()).toEqual([
			`customFields.${k.off}`,
			`customFields.${k.other}`
		]);
		expect(await validateCustomFields({ [k.other]: 'y' }, { typeId: otherTypeId })).toEqual({
			[k.other]: 'y'
		});
		expect(await validateCustomFields(undefined, { typeId: otherTypeId })).toEqual({});

		const everywhere = `all_${uid()}`;
		const field = await createField(actor, { key: everywhere, label: 'All', kind: 'NUMBER' });
		try {
			expect(await validateCustomFields({ [everywhere]: 1 }, { typeId: otherTypeId })).toEqual({
				[everywhere]: 1
			});
			expect(await validateCustomFields({ [everywhere]: 2 }, { typeId: null })).toEqual({
				[everywhere]: 2
			});
		} finally {
			await db().customField.delete({ where: { id: field.id } });
		}
	});

	it('requesters (publicOnly) may set only public fields, and only those are required', async () => {
		expect(await validateCustomFields({ [k.req]: 'LT-9' }, { typeId, publicOnly: true })).toEqual({
			[k.req]: 'LT-9'
		});
		const fields = await errorsOf(
			validateCustomFields({ [k.req]: 'LT-9', [k.secret]: 'x' }, { typeId, publicOnly: true })
		);
		expect(fields).toEqual({
			[`customFields.${k.secret}`]: ['This field is not available for this ticket.']
		});
	});

	it('a required checkbox must be checked; empty values count as missing', async () => {
		const id = `must_${uid()}`;
		const t = (await createType(actor, { name: `Box ${uid()}` })).id;
		await createField(actor, {
			key: id,
			label: 'I agree',
			kind: 'CHECKBOX',
			required: true,
			typeIds: [t]
		});
		expect(await errorsOf(validateCustomFields({ [id]: false }, { typeId: t }))).toEqual({
			[`customFields.${id}`]: ['I agree must be checked.']
		});
		expect(await validateCustomFields({ [id]: 'yes' }, { typeId: t })).toEqual({ [id]: true });
		expect(
			await errorsOf(validateCustomFields({ ...required(), [k.req]: '   ' }, { typeId }))
		).toEqual({ [`customFields.${k.req}`]: ['Asset is required.'] });
	});

	it('an update patches the previous values: null clears a key, required is checked on the result', async () => {
		const previous = { ...required(), [k.text]: 'old', [k.num]: 1 };
		expect(
			await validateCustomFields({ [k.text]: 'new', [k.num]: null }, { typeId, previous })
		).toEqual({ ...required(), [k.text]: 'new' });
		expect(await errorsOf(validateCustomFields({ [k.req]: null }, { typeId, previous }))).toEqual({
			[`customFields.${k.req}`]: ['Asset is required.']
		});
	});

	it('a value kept for a field since deactivated passes through, may be sent back unchanged or cleared', async () => {
		const previous = { ...required(), [k.off]: 'kept' };
		expect(await validateCustomFields({ [k.text]: 'a' }, { typeId, previous })).toEqual({
			...previous,
			[k.text]: 'a'
		});
		expect(await validateCustomFields({ [k.off]: 'kept' }, { typeId, previous })).toEqual(previous);
		expect(await validateCustomFields({ [k.off]: null }, { typeId, previous })).toEqual(required());
		expect(
			await errorsOf(validateCustomFields({ [k.off]: 'changed' }, { typeId, previous }))
		).toEqual({ [`customFields.${k.off}`]: ['This field is not available for this ticket.'] });
	});
});

describe('custom fields on tickets', () => {
	it('a ticket stores the normalised values; invalid ones come back as per-field errors', async () => {
		const agent = await makeUser({ role: 'AGENT' });
		const ticket = await makeTicket(agent, {
			typeId,
			customFields: { ...required(), [k.one]: 'whole company', [k.num]: '7' }
		});
		const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
		expect(row.customFields).toEqual({ ...required(), [k.one]: 'Whole company', [k.num]: 7 });

		const err = await expectCode(
			callerAs(agent).tickets.create({
				subject: 'Custom fields please',
				typeId,
				customFields: { [k.date]: 'tomorrow' }
			}),
			'BAD_REQUEST'
		);
		expect(errorShape(err, 'tickets.create').data.fields).toEqual({
			[`customFields.${k.date}`]: ['Enter a date as YYYY-MM-DD.'],
			[`customFields.${k.req}`]: ['Asset is required.'],
			[`customFields.${k.secret}`]: ['Internal code is required.']
		});
	});
});
