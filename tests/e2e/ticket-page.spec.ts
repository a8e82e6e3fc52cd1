import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { transformer } from '../../src/lib/trpc/transformer';
import { expectAccessible, expectNoHorizontalScroll, signInWithDemo, type DEMO } from './helpers';

/**
 * The agent ticket page: replies and internal notes, in-place edits with the version (and the
 * conflict banner when two agents edit at once), live entries and presence between two browsers.
 */

/** Calls a tRPC procedure over HTTP as the page's signed-in user. */
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
	subject: string;
	description: string;
	status: string;
	priority: string;
	version: number;
	entries: { kind: string; body?: string; bodyHtml: string }[];
}

async function newTicket(page: Page, subject = `Printer jam ${randomUUID().slice(0, 6)}`) {
	return call<Ticket>(page, 'tickets.create', {
		subject,
		description: 'The printer on floor 2 jams on every page.',
		requester: { email: 'user@demo.test' }
	});
}

const getTicket = (page: Page, n: number) => call<Ticket>(page, 'tickets.get', { ticket: n }, true);

async function second(browser: Browser, who: keyof typeof DEMO) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signInWithDemo(page, who);
	return { context, page };
}

test('an agent replies and writes an internal note, which is marked internal', async ({ page }) => {
	await signInWithDemo(page, 'agent');
	const t = await newTicket(page);
	await page.goto(`/app/tickets/${t.number}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Printer jam/);

	await page.keyboard.press('r');
	await expect(page.getByLabel('Reply', { exact: true })).toBeFocused();
	await page.keyboard.type('Could you send a photo of the jam?');
	await page.keyboard.press('Control+Enter');
	const reply = page.getByRole('article', { name: 'Message from Alex Agent' });
	await expect(reply).toContainText('Could you send a photo of the jam?');

	// Shortcuts act outside text fields: leave the reply box first.
	await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await page.keyboard.press('n');
	await expect(page.getByLabel('Internal note', { exact: true })).toBeFocused();
	await page.keyboard.type('Same model failed last month, see **#1002**');
	await page.getByRole('button', { name: 'Add note', exact: true }).click();
	const note = page.getByRole('article', { name: 'Internal note from Alex Agent' });
	await expect(note).toContainText('Same model failed last month');
	await expect(note).toContainText('Internal note');

	const saved = await getTicket(page, t.number);
	expect(saved.entries.map((e) => e.kind)).toEqual(['REPLY', 'NOTE']);
	// The first public reply opened the ticket.
	expect(saved.status).toBe('OPEN');
});

test('changing the status in the panel saves it and the timeline shows the change', async ({
	page
}) => {
	await signInWithDemo(page, 'agent');
	const t = await newTicket(page);
	await page.goto(`/app/tickets/${t.number}`);
	await page.getByLabel('Status', { exact: true }).selectOption('PENDING');
	await expect.poll(async () => (await getTicket(page, t.number)).status).toBe('PENDING');
	await page.getByRole('tab', { name: /Timeline/ }).click();
	await expect(page.getByRole('list', { name: /Ticket history/ })).toContainText(
		/changed status\s*New\s*to\s*Pending/
	);
	await page.reload();
	await expect(page.getByLabel('Status', { exact: true })).toHaveValue('PENDING');
});

test('an agent edits the subject in place: Escape cancels, Enter saves, the timeline shows it', async ({
	page
}) => {
	await signInWithDemo(page, 'agent');
	const t = await newTicket(page);
	await page.goto(`/app/tickets/${t.number}`);
	const heading = page.getByRole('heading', { level: 1 });
	const field = page.getByRole('textbox', { name: 'Subject', exact: true });

	await heading.getByRole('button', { name: t.subject }).click();
	await expect(field).toBeFocused();
	await expect(field).toHaveValue(t.subject);
	await field.fill('Not what I meant');
	await field.press('Escape');
	await expect(heading).toHaveText(t.subject);
	await expect(heading.getByRole('button')).toBeFocused();

	// Keyboard only: Enter on the title opens the field, Enter in the field saves.
	await page.keyboard.press('Enter');
	await field.fill('  Printer on floor 2 eats every page  ');
	await field.press('Enter');
	await expect(heading).toHaveText('Printer on floor 2 eats every page');
	await expect(field).toHaveCount(0);
	await expect
		.poll(async () => (await getTicket(page, t.number)).subject)
		.toBe('Printer on floor 2 eats every page');
	await expect(page).toHaveTitle(/eats every page/);
	await page.getByRole('tab', { name: /Timeline/ }).click();
	await expect(page.getByRole('list', { name: /Ticket history/ })).toContainText(
		/changed subject\s*Printer jam \w+\s*to\s*Printer on floor 2 eats every page/
	);

	// A subject the server refuses keeps the field open with the reason.
	await heading.getByRole('button').click();
	await field.fill('ab');
	await field.press('Enter');
	await expect(page.getByText('Subject must be at least 3 characters.').first()).toBeVisible();
	await expect(field).toBeFocused();
	await field.press('Escape');
	await page.reload();
	await expect(heading).toHaveText('Printer on floor 2 eats every page');
});

test('an agent edits the description; a change saved meanwhile shows the conflict banner first', async ({
	page
}) => {
	await signInWithDemo(page, 'agent');
	const t = await newTicket(page);
	// Live updates are cut (a flaky connection), so this page keeps the version it read.
	await page.routeWebSocket(/\/api\/ws/, () => undefined);
	await page.goto(`/app/tickets/${t.number}`);
	const opening = page.getByRole('article', { name: /^Message from Uma User/ });
	await opening.getByRole('button', { name: 'Edit description' }).click();
	const editor = page.getByRole('textbox', { name: 'Description' });
	await expect(editor).toBeFocused();
	await editor.fill('The printer jams on **every** page since Monday.');

	await call(page, 'tickets.update', { ticket: t.id, priority: 'HIGH' });
	await page
		.getByRole('form', { name: 'Edit description' })
		.getByRole('button', { name: 'Save' })
		.click();
	const banner = page.getByRole('alert').filter({ hasText: 'changed by' });
	await expect(banner).toContainText('This ticket was changed by Alex Agent just now');
	await expect(banner).toContainText('Description: The printer jams on **every** page');
	expect((await getTicket(page, t.number)).description).toBe(
		'The printer on floor 2 jams on every page.'
	);

	await banner.getByRole('button', { name: 'Reload' }).click();
	await page.getByRole('button', { name: 'Save my changes' }).click();
	await expect(opening.locator('strong')).toHaveText('every');
	await expect
		.poll(async () => (await getTicket(page, t.number)).description)
		.toBe('The printer jams on **every** page since Monday.');
});

test('two agents editing the same ticket: the second sees who changed it and keeps their value', async ({
	page,
	browser
}) => {
	await signInWithDemo(page, 'agent');
	const t = await newTicket(page);
	const other = await second(browser, 'admin');
	test.setTimeout(60_000);
	// The second browser misses live updates (as on a flaky connection), so its version goes stale.
	await other.page.routeWebSocket(/\/api\/ws/, () => undefined);
	await other.page.goto(`/app/tickets/${t.number}`);
	await page.goto(`/app/tickets/${t.number}`);

	await page.getByLabel('Priority', { exact: true }).selectOption('CRITICAL');
	await expect.poll(async () => (await getTicket(page, t.number)).priority).toBe('CRITICAL');

	await other.page.getByLabel('Status', { exact: true }).selectOption('PENDING');
	const banner = other.page.getByRole('alert').filter({ hasText: 'changed by' });
	await expect(banner).toContainText('This ticket was changed by Alex Agent just now');
	await expect(other.page.getByLabel('Status', { exact: true })).toHaveValue('PENDING');
	expect((await getTicket(page, t.number)).status).toBe('NEW');

	await banner.getByRole('button', { name: 'Reload' }).click();
	await expect(other.page.getByLabel('Priority', { exact: true })).toHaveValue('CRITICAL');
	await expect(other.page.getByLabel('Status', { exact: true })).toHaveValue('PENDING');
	await other.page.getByRole('button', { name: 'Save my changes' }).click();
	await expect(other.page.getByRole('alert').filter({ hasText: 'Reloaded' })).toHaveCount(0);
	const final = await getTicket(page, t.number);
	expect([final.status, final.priority]).toEqual(['PENDING', 'CRITICAL']);
	await other.context.close();
});

test('a reply from a colleague appears live, and their presence shows at the top', async ({
	page,
	browser
}) => {
	test.setTimeout(90_000);
	await signInWithDemo(page, 'agent');
	const t = await newTicket(page);
	await page.goto(`/app/tickets/${t.number}`);
	const other = await second(browser, 'admin');
	await other.page.goto(`/app/tickets/${t.number}`);

	await expect(page.getByText('Ada is viewing')).toBeVisible({ timeout: 15_000 });
	await other.page.getByLabel('Reply', { exact: true }).fill('Looking into it from the admin side');
	await expect(page.getByText('Ada is replying…')).toBeVisible({ timeout: 15_000 });

	await other.page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page.getByRole('article', { name: 'Message from Ada Admin' })).toContainText(
		'Looking into it from the admin side',
		{ timeout: 10_000 }
	);
	await other.context.close();
	await expect(page.getByText(/Ada is (viewing|replying)/)).toHaveCount(0, { timeout: 35_000 });
});

test('the ticket page is accessible in both themes and fits a phone', async ({ page }) => {
	test.setTimeout(120_000);
	await signInWithDemo(page, 'agent');
	const t = await newTicket(page);
	await call(page, 'tickets.addEntry', { ticket: t.id, kind: 'NOTE', body: 'Checked the logs.' });
	for (const theme of ['dark', 'light'] as const) {
		await page.goto(`/app/tickets/${t.number}`);
		await page.evaluate((th) => (document.documentElement.dataset.theme = th), theme);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('tab', { name: /Timeline/ }).click();
		await expectAccessible(page);
	}
	await page.setViewportSize({ width: 360, height: 780 });
	await page.goto(`/app/tickets/${t.number}`);
	await expectNoHorizontalScroll(page);
	await page.goto('/app/tickets/999999');
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
