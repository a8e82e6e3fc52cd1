import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, expectNoHorizontalScroll, signInWithDemo } from './helpers';

const rows = (page: Page) => page.locator('table[aria-label="Tickets"] tbody tr');

/** Opens a ticket through the agent form; returns its number. */
async function openTicket(
	page: Page,
	subject: string,
	priority = 'Low',
	category?: string
): Promise<number> {
	await page.goto('/app/tickets/new');
	await page.getByRole('combobox', { name: 'Requester' }).fill('user@demo.test');
	await page.getByRole('option', { name: /Uma User/ }).click();
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Description').fill('Opened by the ticket list end-to-end test.');
	await page.getByRole('combobox', { name: 'Priority' }).selectOption({ label: priority });
	await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Open' });
	if (category)
		await page.getByRole('combobox', { name: 'Category' }).selectOption({ label: category });
	await page.getByRole('button', { name: 'Create ticket' }).click();
	await page.waitForURL(/\/app\/tickets\/\d+$/);
	return Number(/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
}

test('an agent filters by status, searches, bulk-sets the priority of two tickets, and it sticks', async ({
	page
}) => {
	test.setTimeout(90_000);
	await signInWithDemo(page, 'agent');
	const tag = `e2e${Date.now().toString(36)}`;
	const first = await openTicket(page, `Badge reader ${tag} rejects cards`);
	const second = await openTicket(page, `Badge reader ${tag} beeps twice`);

	await page.goto('/app/tickets');
	await expect(rows(page).first()).toBeVisible();

	// Filter by status through the filter bar: the URL carries it and every row matches.
	await page.getByRole('button', { name: 'Add filter' }).click();
	await page.getByRole('menuitem', { name: 'Status' }).click();
	await page.getByRole('dialog', { name: 'Status filter' }).getByLabel('Open').check();
	await expect(page).toHaveURL(/status=open/);
	await page.keyboard.press('Escape');
	await expect(page.getByRole('button', { name: 'Remove Status filter' })).toBeVisible();
	const statuses = await rows(page)
		.locator('.c-status button')
		.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
	expect(statuses.length).toBeGreaterThan(0);
	for (const s of statuses) expect(s).toMatch(/Status of #\d+: Open\./);

	// Search (server-side, debounced into the URL).
	await page.getByRole('searchbox', { name: 'Search tickets' }).fill(tag);
	await expect(page).toHaveURL(new RegExp(`q=${tag}`));
	await expect(rows(page)).toHaveCount(2);

	// Select both rows (the second with Shift: a range) and set their priority in one go.
	await rows(page).nth(0).getByRole('checkbox').check();
	await rows(page)
		.nth(1)
		.getByRole('checkbox')
		.click({ modifiers: ['Shift'] });
	const bulk = page.getByRole('toolbar', { name: /Bulk actions for 2 selected tickets/ });
	await expect(bulk).toBeVisible();
	await bulk.getByRole('button', { name: 'Set priority of selected tickets' }).click();
	await page.getByRole('menuitem', { name: 'Critical' }).click();
	await expect(page.getByText('Priority changed: 2 tickets.')).toBeVisible();

	// What the database holds, seen after a reload.
	await page.reload();
	for (const n of [first, second]) {
		await expect(
			page.getByRole('button', { name: `Priority of #${n}: Critical. Change` })
		).toBeVisible();
	}
});

test('a status chip is edited in place, and a saved view keeps the filters (category too)', async ({
	page
}) => {
	test.setTimeout(90_000);
	await signInWithDemo(page, 'agent');
	const tag = `e2e${Date.now().toString(36)}`;
	const n = await openTicket(page, `Docking station ${tag} flickers`, 'Low', 'Hardware › Laptop');
	await openTicket(page, `Docking station ${tag} hums`);
	await page.goto(`/app/tickets?q=${tag}`);
	await expect(rows(page)).toHaveCount(2);
	await page.getByRole('button', { name: `Status of #${n}: Open. Change` }).click();
	await page.getByRole('menuitem', { name: 'Pending' }).click();
	await expect(
		page.getByRole('button', { name: `Status of #${n}: Pending. Change` })
	).toBeVisible();
	await page.reload();
	await expect(
		page.getByRole('button', { name: `Status of #${n}: Pending. Change` })
	).toBeVisible();

	// Category: the tree's path names each choice; the URL carries it and survives a reload.
	const pills = page.getByRole('list', { name: 'Active filters' });
	await page.getByRole('button', { name: 'Add filter' }).click();
	await page.getByRole('menuitem', { name: 'Category' }).click();
	await page
		.getByRole('dialog', { name: 'Category filter' })
		.getByLabel('Hardware › Laptop', { exact: true })
		.check();
	await expect(page).toHaveURL(/category=[0-9a-f-]{36}/);
	await page.keyboard.press('Escape');
	await expect(rows(page)).toHaveCount(1);
	await expect(pills).toContainText(/Category:\s*Hardware › Laptop/);
	await page.reload();
	await expect(pills).toContainText(/Category:\s*Hardware › Laptop/);
	await expect(rows(page)).toHaveCount(1);

	await page.getByRole('button', { name: 'Save current view' }).click();
	const dialog = page.getByRole('dialog', { name: 'Save view' });
	await dialog.getByLabel('Name').fill(`Docks ${tag}`);
	await dialog.getByRole('button', { name: 'Save view' }).click();
	await expect(dialog).toBeHidden();
	const views = page.getByRole('navigation', { name: 'Ticket views' });
	await page.goto('/app/tickets');
	await views.getByRole('link', { name: new RegExp(`Docks ${tag}`) }).click();
	await expect(page).toHaveURL(new RegExp(`q=${tag}`));
	await expect(page).toHaveURL(/category=[0-9a-f-]{36}/);
	await expect(pills).toContainText(/Category:\s*Hardware › Laptop/);
	await expect(rows(page)).toHaveCount(1);
	await expect(
		page.getByRole('button', { name: `Status of #${n}: Pending. Change` })
	).toBeVisible();
});

test('rows carry SLA chips, the SLA filter narrows the list and sticks, and the ticket shows its clock', async ({
	page
}) => {
	test.setTimeout(90_000);
	await signInWithDemo(page, 'agent');
	const tag = `e2e${Date.now().toString(36)}`;
	const n = await openTicket(page, `Projector ${tag} shows no signal`);

	// A fresh ticket under the default policy counts down, on the list and on its page.
	await page.goto(`/app/tickets?q=${tag}`);
	await expect(rows(page)).toHaveCount(1);
	const chip = rows(page).locator('.c-sla [data-sla]');
	await expect(chip).toHaveAttribute('data-sla', 'on_track');
	await expect(chip).toContainText(/Due in \d/);
	await page.goto(`/app/tickets/${n}`);
	const sla = page.getByRole('region', { name: 'SLA', exact: true });
	await expect(sla).toContainText('First response');
	await expect(sla).toContainText(/Resolution\s*due in \d/);

	// The demo data has breached tickets: the filter keeps only those, in the URL and a reload.
	await page.goto('/app/tickets');
	await expect(rows(page).first()).toBeVisible();
	await page.getByRole('button', { name: 'Add filter' }).click();
	await page.getByRole('menuitem', { name: 'SLA' }).click();
	await page.getByRole('dialog', { name: 'SLA filter' }).getByLabel('Breached').check();
	await expect(page).toHaveURL(/sla=breached/);
	await page.keyboard.press('Escape');
	const pills = page.getByRole('list', { name: 'Active filters' });
	await expect(pills).toContainText(/SLA:\s*Breached/);
	await page.reload();
	await expect(pills).toContainText(/SLA:\s*Breached/);
	await expect(rows(page).first()).toBeVisible();
	const states = await rows(page)
		.locator('.c-sla [data-sla]')
		.evaluateAll((els) => els.map((e) => e.getAttribute('data-sla')));
	expect(states.length).toBe(await rows(page).count());
	for (const s of states) expect(s).toBe('breached');
	await expect(rows(page).first().locator('.c-sla')).toContainText('Breached');
});

test('the ticket list and the new ticket form are accessible in both themes and fit a phone', async ({
	page
}) => {
	test.setTimeout(90_000);
	await signInWithDemo(page, 'agent');
	for (const path of [
		'/app/tickets',
		'/app/tickets?status=open,pending&sort=priority',
		'/app/tickets?sla=breached,at_risk,on_track',
		'/app/tickets/new'
	]) {
		for (const theme of ['dark', 'light'] as const) {
			await page.goto(path);
			await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
			await expect(page.locator('h1').first()).toBeVisible();
			await expectAccessible(page);
		}
	}
	await page.setViewportSize({ width: 360, height: 780 });
	for (const path of ['/app/tickets', '/app/tickets/new']) {
		await page.goto(path);
		await expectNoHorizontalScroll(page);
	}
	// Keyboard: "/" goes to the search box, not the command palette.
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.goto('/app/tickets');
	await page.locator('h1').first().click();
	await page.keyboard.press('/');
	await expect(page.getByRole('searchbox', { name: 'Search tickets' })).toBeFocused();
});
