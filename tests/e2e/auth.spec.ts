import { expect, test } from '@playwright/test';
import { DEMO, expectAccessible, signInWithDemo } from './helpers';

test('protected pages redirect to sign-in and back after it', async ({ page }) => {
	for (const path of ['/app', '/app/admin/users', '/portal', '/account']) {
		await page.goto(path);
		await expect(page).toHaveURL(new RegExp(`/login\\?redirectTo=${encodeURIComponent(path)}`));
	}
	await page.goto('/app/teams');
	await page.getByLabel('Email').fill(DEMO.agent.email);
	await page.getByLabel('Password').fill('demo1234');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL(/\/app\/teams$/);
});

test('a wrong password and an unknown email get the same message', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('Email').fill(DEMO.agent.email);
	await page.getByLabel('Password').fill('wrong-password');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
	await page.getByLabel('Email').fill('nobody@demo.test');
	await page.getByLabel('Password').fill('demo1234');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
	await expect(page).toHaveURL(/\/login/);
});

test('empty fields get per-field messages', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByText('Email is required.')).toBeVisible();
	await expect(page.getByText('Password is required.')).toBeVisible();
});

for (const account of Object.keys(DEMO) as (keyof typeof DEMO)[]) {
	test(`${account}: demo button signs in, lands home, theme toggles and persists, sign out`, async ({
		page
	}) => {
		await signInWithDemo(page, account);
		await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
		await expectAccessible(page);

		await Promise.all([
			page.waitForResponse((r) => r.url().includes('auth.setTheme') && r.ok()),
			page.getByRole('button', { name: /switch to light theme/i }).click()
		]);
		await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
		await page.reload();
		await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
		await expectAccessible(page);
		await Promise.all([
			page.waitForResponse((r) => r.url().includes('auth.setTheme') && r.ok()),
			page.getByRole('button', { name: /switch to dark theme/i }).click()
		]);
		await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

		await page.getByRole('button', { name: /account menu|open account menu|user menu/i }).click();
		await page.getByRole('menuitem', { name: 'Sign out' }).click();
		await expect(page).toHaveURL(/\/login/);
		await page.goto(DEMO[account].home);
		await expect(page).toHaveURL(/\/login\?redirectTo=/);
	});
}

test('the nav shows only what the role may use', async ({ page }) => {
	await signInWithDemo(page, 'agent');
	const nav = page.getByRole('navigation', { name: /main|modules|primary/i });
	await expect(nav.getByRole('link', { name: 'Teams' })).toBeVisible();
	await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
	await page.goto('/app/admin/users');
	await expect(page.getByText('You do not have access to this page.')).toBeVisible();
	await page.goto('/portal');
	await expect(page.getByText('You do not have access to this page.')).toBeVisible();
});
