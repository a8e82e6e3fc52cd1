import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { transformer } from '../../src/lib/trpc/transformer';
import { expectAccessible, expectNoHorizontalScroll, signInWithDemo } from './helpers';

/**
 * The automation admin: building a rule in the editor (with per-field errors), the list (enable,
 * order), a rule acting on a new ticket as the ticket page shows it, the preview. Rules are global:
 * every rule here matches only a word made for this run, and is deleted at the end.
 */

async function call<T>(page: Page, path: string, input: unknown, query = false): Promise<T> {
	const body = JSON.stringify(transformer.serialize(input));
	const res = query
		? await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(body)}`)
		: await page.request.post(`/api/trpc/${path}`, {
				data: body,
				headers: { 'content-type': 'application/json' }
			});
	const json = (await res.json()) as { result?: { data: string }; error?: unknown };
	if (!json.result) throw new Error(`${path} failed: ${JSON.stringify(json.error)}`);
	return transformer.deserialize(json.result.data) as T;
}

interface Ticket {
	id: string;
	number: number;
	priority: string;
	tags: string[];
}

const newTicket = (page: Page, subject: string) =>
	call<Ticket>(page, 'tickets.create', {
		subject,
		description: 'Paper jam on every page.',
		requester: { email: 'user@demo.test' }
	});

/** Deletes this run's rules, whatever state a failed test left them in. */
async function removeRules(page: Page, word: string) {
	const rules = await call<{ id: string; name: string }[]>(page, 'automation.list', null, true);
	for (const r of rules.filter((x) => x.name.includes(word)))
		await call(page, 'automation.delete', { id: r.id });
}

test('an IT manager builds a rule, sees what is wrong, and the rule acts on a new ticket', async ({
	page
}) => {
	test.setTimeout(90_000);
	const word = `printer${randomUUID().slice(0, 6)}`;
	const name = `Printer triage ${word}`;
	await signInWithDemo(page, 'manager');
	try {
		// A ticket from before the rule: the preview finds it; the rule never touches it.
		const before = await newTicket(page, `Old ${word} ticket`);

		await page.goto('/app/admin/automation');
		await expect(page.getByRole('heading', { name: 'Automation', level: 1 })).toBeVisible();
		await page.getByRole('link', { name: 'New rule' }).first().click();
		await expect(page.getByRole('heading', { name: 'New rule', level: 1 })).toBeVisible();

		await page.getByRole('button', { name: 'Create rule' }).click();
		const summary = page.getByRole('alert');
		await expect(summary).toContainText('Name: Name is required.');
		await expect(summary).toContainText('Actions: Add at least one action.');
		await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveAttribute(
			'aria-invalid',
			'true'
		);

		await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
		await page.getByRole('button', { name: 'Add condition' }).click();
		await expect(page.getByLabel('Condition 1 field')).toHaveValue('subject');
		await expect(page.getByLabel('Condition 1 operator')).toHaveValue('contains');
		await page.getByLabel('Condition 1 value').fill(word);

		await page.getByRole('button', { name: 'Add action' }).click();
		await page.getByLabel('Action 1', { exact: true }).selectOption('addTags');
		await page.getByRole('textbox', { name: 'Action 1 tags' }).fill('printer');
		await page.getByRole('textbox', { name: 'Action 1 tags' }).press('Enter');
		await page.getByRole('button', { name: 'Add action' }).click();
		await page.getByLabel('Action 2', { exact: true }).selectOption('set');
		await page.getByLabel('Action 2 field').selectOption('priority');
		await page.getByLabel('Action 2 value').selectOption('HIGH');
		await page.getByRole('button', { name: 'Add action' }).click();
		await page.getByLabel('Action 3', { exact: true }).selectOption('webhook');
		await page.getByLabel('Action 3: webhook URL').fill('not a url');
		await page.getByRole('button', { name: 'Create rule' }).click();
		await expect(summary).toContainText('Action 3: Enter an http:// or https:// URL.');
		await expect(page.getByLabel('Action 3: webhook URL')).toHaveAttribute('aria-invalid', 'true');
		await page.getByRole('button', { name: 'Remove action 3' }).click();

		// The preview: the older ticket matches; nothing is changed by it.
		await page.getByRole('button', { name: 'Test on recent tickets' }).click();
		await expect(
			page.getByText(/^1 of the \d+ most recently updated tickets match\.$/)
		).toBeVisible();
		const matches = page.getByRole('table', { name: 'Matching tickets' });
		await expect(matches.getByRole('link', { name: `#${before.number}` })).toBeVisible();

		await page.getByRole('button', { name: 'Create rule' }).click();
		await page.waitForURL((url) => url.pathname === '/app/admin/automation');
		const section = page.getByRole('region', { name: /When a ticket is created/ });
		const row = section.getByRole('listitem', { name });
		await expect(row).toBeVisible();

		// New rules go last; moved up by keyboard, the focus stays on the moved rule.
		const items = section.getByRole('listitem');
		await expect(items.last()).toHaveAccessibleName(name);
		const count = await items.count();
		await row.getByRole('button', { name: `Move ${name} up` }).focus();
		await page.keyboard.press('Enter');
		await expect(items.nth(count - 2)).toHaveAccessibleName(name);
		await expect(row.getByRole('button', { name: `Move ${name} up` })).toBeFocused();
		await page.reload();
		await expect(items.nth(count - 2)).toHaveAccessibleName(name);
		await row.getByRole('button', { name: `Move ${name} down` }).click();
		await expect(items.last()).toHaveAccessibleName(name);

		// Off and on again, kept across a reload.
		await row.getByLabel('Active').uncheck();
		await expect(row).toContainText('Off');
		await page.reload();
		await expect(row.getByLabel('Active')).not.toBeChecked();
		await row.getByLabel('Active').check();
		await expect(row).not.toContainText('Off');
		await page.reload();
		await expect(row.getByLabel('Active')).toBeChecked();

		// A new ticket that matches: the rule sets the priority and the tag, and says so.
		const t = await newTicket(page, `Office ${word} is offline`);
		await page.goto(`/app/tickets/${t.number}`);
		await expect(page.getByLabel('Priority', { exact: true })).toHaveValue('HIGH');
		await expect(page.getByRole('button', { name: 'Remove tag printer' })).toBeVisible();
		await page.getByRole('tab', { name: /Timeline/ }).click();
		const history = page.getByRole('list', { name: /Ticket history/ });
		await expect(history).toContainText(new RegExp(`Automation · ${name}\\s*changed priority`));
		await expect(history).toContainText(new RegExp(`Automation · ${name}\\s*changed tags`));
		const untouched = await call<Ticket>(page, 'tickets.get', { ticket: before.number }, true);
		expect(untouched.tags).not.toContain('printer');

		// The rule's page lists the run; deleting asks once.
		await page.goto('/app/admin/automation');
		await row.getByRole('link', { name }).click();
		const runs = page.getByRole('table', { name: 'Last runs' });
		await expect(runs.getByRole('row', { name: new RegExp(`#${t.number}.*Done`) })).toBeVisible();
		page.once('dialog', (d) => void d.accept());
		await page.getByRole('button', { name: 'Delete rule' }).click();
		await page.waitForURL((url) => url.pathname === '/app/admin/automation');
		await expect(page.getByRole('listitem', { name })).toHaveCount(0);
	} finally {
		await removeRules(page, word);
	}
});

test('the automation pages are accessible in both themes and fit a phone', async ({ page }) => {
	test.setTimeout(120_000);
	const word = `a11y${randomUUID().slice(0, 6)}`;
	await signInWithDemo(page, 'admin');
	const rule = await call<{ id: string }>(page, 'automation.create', {
		name: `Hook ${word}`,
		description: 'Tells the inventory system about hardware tickets.',
		trigger: 'TIME',
		timeAnchor: 'statusChanged',
		timeMinutes: 2880,
		stopProcessing: true,
		conditions: {
			match: 'all',
			conditions: [
				{ field: 'subject', op: 'contains', value: word },
				{ field: 'status', op: 'in', value: ['PENDING'] }
			]
		},
		actions: [
			{ type: 'webhook', url: 'http://127.0.0.1:9/hook', headers: { 'X-Token': 'abc' } },
			{ type: 'notify', recipients: ['assignee'], title: 'Waiting: {{ticket.number}}' }
		]
	});
	try {
		const pages = [
			'/app/admin/automation',
			'/app/admin/automation/new',
			`/app/admin/automation/${rule.id}`
		];
		for (const theme of ['dark', 'light'] as const) {
			for (const path of pages) {
				await page.goto(path);
				await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
				await expect(page.locator('h1').first()).toBeVisible();
				await expectAccessible(page);
			}
			// The editor with every kind of value input open.
			await page.goto('/app/admin/automation/new');
			await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
			await page.getByRole('button', { name: 'Add condition' }).click();
			await page.getByLabel('Condition 1 field').selectOption('time');
			await page.getByRole('button', { name: 'Add condition' }).click();
			await page.getByLabel('Condition 2 field').selectOption('priority');
			await page.getByRole('button', { name: 'Add action' }).click();
			await page.getByLabel('Action 1', { exact: true }).selectOption('notify');
			await page.getByRole('button', { name: 'Create rule' }).click();
			await expect(page.getByRole('alert')).toBeVisible();
			await expectAccessible(page);
		}
		await page.setViewportSize({ width: 360, height: 780 });
		for (const path of pages) {
			await page.goto(path);
			await expect(page.locator('h1').first()).toBeVisible();
			await expectNoHorizontalScroll(page);
		}
	} finally {
		await removeRules(page, word);
	}
});
