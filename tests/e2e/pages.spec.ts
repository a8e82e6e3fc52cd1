import { expect, test } from '@playwright/test';
import { expectAccessible, expectNoHorizontalScroll, signInWithDemo } from './helpers';

const STAFF_PAGES = [
	'/app',
	'/app/teams',
	'/app/notifications',
	'/app/admin/users',
	'/app/admin/api-keys',
	'/app/admin/audit',
	'/account'
];

test('every staff page is accessible in both themes and fits a phone', async ({ page }) => {
	test.setTimeout(180_000);
	await signInWithDemo(page, 'admin');
	const teamHref = await page
		.goto('/app/teams')
		.then(() => page.locator('a[href^="/app/teams/"]').first().getAttribute('href'));
	const userHref = await page
		.goto('/app/admin/users')
		.then(() => page.locator('a[href^="/app/admin/users/"]').first().getAttribute('href'));
	const pages = [...STAFF_PAGES, teamHref!, userHref!];
	for (const theme of ['dark', 'light'] as const) {
		for (const path of pages) {
			await page.goto(path);
			await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
			await expect(page.locator('h1').first()).toBeVisible();
			await expectAccessible(page);
		}
	}
	await page.setViewportSize({ width: 360, height: 780 });
	for (const path of pages) {
		await page.goto(path);
		await expectNoHorizontalScroll(page);
	}
});

test('the portal and login are accessible and fit a phone', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 780 });
	await page.goto('/login');
	await expectAccessible(page);
	await expectNoHorizontalScroll(page);
	await signInWithDemo(page, 'user');
	await expect(page.getByRole('heading', { name: /how can we help/i })).toBeVisible();
	await expectAccessible(page);
	await expectNoHorizontalScroll(page);
});

test('on a phone the sidebar becomes a menu', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await signInWithDemo(page, 'agent');
	const nav = page.getByRole('navigation', { name: 'Main' });
	await expect(nav.getByRole('link', { name: 'Teams' })).toBeHidden();
	await page.getByRole('button', { name: 'Open navigation' }).click();
	await nav.getByRole('link', { name: 'Teams' }).click();
	await expect(page).toHaveURL(/\/app\/teams$/);
});

test('the command palette opens with Ctrl+K and navigates', async ({ page }) => {
	await signInWithDemo(page, 'admin');
	await page.keyboard.press('Control+k');
	const input = page.getByRole('combobox', { name: /search commands/i });
	await expect(input).toBeFocused();
	await input.fill('audit');
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/app\/admin\/audit$/);
});
