import { expect, test } from '@playwright/test';
import { signInWithDemo } from './helpers';

test('an admin creates a user, sees per-field errors, changes the role and deactivates', async ({
	page
}) => {
	await signInWithDemo(page, 'admin');
	await page.goto('/app/admin/users');
	await page.getByRole('button', { name: 'New user' }).first().click();
	const dialog = page.getByRole('dialog', { name: 'New user' });
	await dialog.getByLabel('Email').fill('not-an-email');
	await dialog.getByRole('button', { name: 'Create user' }).click();
	await expect(dialog.getByText('Name is required.')).toBeVisible();
	await expect(dialog.getByText('Enter a valid email address.')).toBeVisible();

	const email = `e2e-${Date.now()}@demo.test`;
	await dialog.getByLabel('Full name').fill('Erin Endtoend');
	await dialog.getByLabel('Email').fill(email);
	await dialog.getByLabel('Password').fill('e2e-password-1');
	await dialog.getByRole('button', { name: 'Create user' }).click();
	await expect(dialog).toBeHidden();

	await page.getByRole('searchbox', { name: /search users/i }).fill('Erin Endtoend');
	await expect(page).toHaveURL(/q=Erin/);
	await expect(page.getByRole('row')).toHaveCount(2);
	await page.getByRole('link', { name: 'Erin Endtoend' }).click();
	await expect(page.getByRole('heading', { name: 'Erin Endtoend' })).toBeVisible();

	await page.getByRole('combobox', { name: 'Role' }).selectOption('AGENT');
	await page.getByRole('button', { name: 'Change role' }).click();
	await expect(page.getByText(/Role changed to Agent/)).toBeVisible();

	await page.getByRole('button', { name: 'Deactivate…' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
	await expect(page.getByText('Deactivated', { exact: true }).first()).toBeVisible();
});

test('a role change reaches the user live: their bell count rises without a reload', async ({
	browser
}) => {
	const agentCtx = await browser.newContext();
	const agent = await agentCtx.newPage();
	await signInWithDemo(agent, 'agent');
	const bell = agent.getByRole('link', { name: /^Notifications, / });
	const before = (await bell.getAttribute('aria-label')) ?? '';
	const count = (label: string) => Number(/(\d+)/.exec(label)?.[1] ?? 0);

	const adminCtx = await browser.newContext();
	const admin = await adminCtx.newPage();
	await signInWithDemo(admin, 'admin');
	await admin.goto('/app/admin/users?q=agent%40demo.test');
	await admin.getByRole('link', { name: 'Alex Agent' }).click();
	await admin.getByRole('combobox', { name: 'Role' }).selectOption('IT_MANAGER');
	await admin.getByRole('button', { name: 'Change role' }).click();
	await expect(admin.getByText(/Role changed to IT Manager/)).toBeVisible();

	await expect
		.poll(async () => count((await bell.getAttribute('aria-label')) ?? ''), { timeout: 10_000 })
		.toBe(count(before) + 1);

	// put the demo account back as it was
	await admin.getByRole('combobox', { name: 'Role' }).selectOption('AGENT');
	await admin.getByRole('button', { name: 'Change role' }).click();
	await expect(admin.getByText(/Role changed to Agent/)).toBeVisible();
	await agentCtx.close();
	await adminCtx.close();
});
