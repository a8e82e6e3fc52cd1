import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoHorizontalScroll, signInWithDemo } from './helpers';

test('an IT manager creates a policy with an escalation level; bad fields are named', async ({
	page
}) => {
	await signInWithDemo(page, 'manager');
	await page.goto('/app/admin/sla');
	await expect(page.getByRole('heading', { name: 'SLA policies', level: 1 })).toBeVisible();
	await expect(page.getByRole('row', { name: /Standard \(24×7\).*Default/ })).toBeVisible();

	await page.getByRole('link', { name: 'New policy' }).first().click();
	await expect(page.getByRole('heading', { name: 'New SLA policy' })).toBeVisible();
	await page.getByLabel('High first response hours').fill('10');
	await page.getByRole('button', { name: 'Create policy' }).click();
	await expect(page.getByText('Name is required.', { exact: true })).toBeVisible();
	await expect(
		page.getByText('High: first response cannot be longer than resolution.')
	).toBeVisible();
	await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveAttribute(
		'aria-invalid',
		'true'
	);

	const name = `VIP ${Date.now()}`;
	await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
	await page.getByLabel('High first response hours').fill('1');
	await page.getByRole('button', { name: 'Add level' }).click();
	await page.getByLabel('Percent').fill('80');
	await page.getByLabel("Notify the group's manager").check();
	await page.getByRole('button', { name: 'Create policy' }).click();

	await page.waitForURL((url) => url.pathname === '/app/admin/sla');
	const row = page.getByRole('row', { name: new RegExp(name) });
	await expect(row).toContainText('1 escalation level');
	await row.getByRole('link', { name }).click();
	await expect(page.getByLabel('Percent')).toHaveValue('80');
	await expect(page.getByLabel("Notify the group's manager")).toBeChecked();
});

test('the SLA pages are accessible in both themes and fit a phone', async ({ page }) => {
	test.setTimeout(120_000);
	await signInWithDemo(page, 'admin');
	await page.goto('/app/admin/sla');
	const policyHref = await page
		.locator('a[href^="/app/admin/sla/policies/"]')
		.last()
		.getAttribute('href');
	const pages = [
		'/app/admin/sla',
		'/app/admin/sla/policies/new',
		policyHref!,
		'/app/admin/sla/calendars'
	];
	for (const theme of ['dark', 'light'] as const) {
		for (const path of pages) {
			await page.goto(path);
			await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
			await expect(page.locator('h1').first()).toBeVisible();
			await expectAccessible(page);
		}
		await page.getByRole('button', { name: 'Edit Berlin office hours' }).click();
		await expect(page.getByRole('heading', { name: 'Edit “Berlin office hours”' })).toBeVisible();
		await expectAccessible(page);
	}
	await page.setViewportSize({ width: 360, height: 780 });
	for (const path of pages) {
		await page.goto(path);
		await expect(page.locator('h1').first()).toBeVisible();
		await expectNoHorizontalScroll(page);
	}
	await page.getByRole('button', { name: 'New calendar' }).first().click();
	await expectNoHorizontalScroll(page);
});

test('a calendar gets German public holidays and a second interval on Monday', async ({ page }) => {
	await signInWithDemo(page, 'admin');
	await page.goto('/app/admin/sla/calendars');
	await page.getByRole('button', { name: 'New calendar' }).first().click();
	const name = `Hamburg ${Date.now()}`;
	await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
	await page.getByRole('button', { name: 'Add hours on Monday' }).click();
	await page.getByLabel('Monday interval 2 end').fill('25:00');
	await page.getByRole('button', { name: 'Create calendar' }).click();
	await expect(page.getByText(/Not a valid time: 25:00/).first()).toBeVisible();
	await page.getByLabel('Monday interval 2 start').fill('18:00');
	await page.getByLabel('Monday interval 2 end').fill('20:00');
	await page.getByRole('button', { name: 'Add German public holidays' }).click();
	await expect(page.getByRole('button', { name: 'Remove holiday Neujahr' })).toBeVisible();
	await page.getByRole('button', { name: 'Create calendar' }).click();
	const row = page.getByRole('row', { name: new RegExp(name) });
	await expect(row).toContainText('Mon 09:00–17:00, 18:00–20:00');
});
