import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, expectNoHorizontalScroll, signInWithDemo } from './helpers';

/** Axe in both themes at desktop width, then no sideways scroll at phone width. */
async function checkEverywhere(page: Page, path: string) {
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(path);
	for (const theme of ['dark', 'light'] as const) {
		await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
		await expect(page.locator('h1').first()).toBeVisible();
		await expectAccessible(page);
	}
	await page.setViewportSize({ width: 360, height: 780 });
	await page.goto(path);
	await expectNoHorizontalScroll(page);
	await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
	await expectAccessible(page);
	await page.setViewportSize({ width: 1280, height: 900 });
}

test('anonymous: /submit → confirmation with the private link → the ticket page → reply, resolve, rate, reopen', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	await checkEverywhere(page, '/submit');
	await page.goto('/submit');
	await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();

	// Per-field messages without losing what was typed.
	await page.getByLabel('Your name').fill('Robin Requester');
	await page.getByLabel('Email').fill('not-an-address');
	await page.getByLabel('Subject').fill('Scanner on floor 2 is offline');
	await page.waitForTimeout(3_200); // people take more than 3 s to fill a form in
	await page.getByRole('button', { name: 'Send request' }).click();
	await expect(page.getByText('Enter a valid email address.')).toBeVisible();
	await expect(page.getByText('A description is required.')).toBeVisible();
	await expect(page.getByLabel('Subject')).toHaveValue('Scanner on floor 2 is offline');

	await page.getByLabel('Email').fill('robin.e2e@example.com');
	await page.getByLabel('Description').fill('It shows **offline** since this morning.');
	await page.getByRole('button', { name: 'Send request' }).click();
	const heading = page.getByRole('heading', { name: /We received your request #\d+/ });
	await expect(heading).toBeVisible();
	await expect(heading).toBeFocused();
	await expect(page.getByText('Bookmark this link.')).toBeVisible();
	await expectAccessible(page);
	const link = await page.getByLabel('Your private link').inputValue();
	expect(link).toMatch(/\/t\/[A-Za-z0-9_-]{20,}$/);
	const number = /#(\d+)/.exec((await heading.textContent()) ?? '')![1]!;

	await page.getByRole('link', { name: 'Open your ticket' }).click();
	await expect(page).toHaveURL(link);
	await expect(page.getByRole('heading', { name: 'Scanner on floor 2 is offline' })).toBeVisible();
	await expect(page.getByText('Received', { exact: true })).toBeVisible();
	await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', /noindex/);
	const response = await page.request.get(link);
	expect(response.headers()['referrer-policy']).toBe('same-origin');

	await page.getByRole('textbox', { name: 'Your message' }).fill('It also beeps twice.');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByText('It also beeps twice.')).toBeVisible();
	await expect(page.getByRole('textbox', { name: 'Your message' })).toHaveValue('');

	// An agent resolves it (REST with the agent's session); the requester rates, then reopens.
	const agentContext = await browser.newContext();
	const agent = await agentContext.newPage();
	await signInWithDemo(agent, 'agent');
	const patched = await agent.request.patch(`/api/v1/tickets/${number}`, {
		data: { status: 'resolved' }
	});
	expect(patched.status()).toBe(200);
	await agentContext.close();

	await page.reload();
	await expect(page.getByText('The service desk marked this ticket as resolved.')).toBeVisible();
	await checkEverywhere(page, link);
	await page.getByText('Good', { exact: true }).click();
	await page.getByLabel(/Anything you would like to add/).fill('Fast, thanks');
	await page.getByRole('button', { name: 'Send rating' }).click();
	await expect(page.getByText('Thank you, your rating was saved.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Update rating' })).toBeVisible();
	await page.getByRole('button', { name: 'Reopen ticket' }).click();
	await expect(page.getByText('In progress', { exact: true })).toBeVisible();

	await page.goto('/t/this-link-does-not-exist-at-all');
	await expect(page.getByRole('heading', { name: 'We could not find this ticket' })).toBeVisible();
});

test('end user: open a ticket in the portal, find it in My tickets, reply', async ({ page }) => {
	test.setTimeout(120_000);
	await signInWithDemo(page, 'user');
	await expect(page.getByRole('heading', { name: /how can we help/i })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Your open tickets' })).toBeVisible();
	await page.getByRole('link', { name: 'Open a ticket' }).first().click();
	await expect(page).toHaveURL(/\/portal\/tickets\/new$/);
	await checkEverywhere(page, '/portal/tickets/new');

	const subject = `Docking station ${Date.now()}`;
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Description').fill('The second screen stays black.');
	await page.getByRole('button', { name: 'Send request' }).click();
	await expect(page).toHaveURL(/\/portal\/tickets\/\d+\?created=1$/);
	await expect(page.getByText('Your ticket was sent.')).toBeVisible();
	await expect(page.getByRole('heading', { name: subject })).toBeVisible();
	const ticketPath = new URL(page.url()).pathname;
	await checkEverywhere(page, ticketPath);

	await page.getByRole('textbox', { name: 'Your message' }).fill('Model: WD19.');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.getByText('Model: WD19.')).toBeVisible();

	await page.goto('/portal/tickets');
	await expect(page.getByRole('link', { name: new RegExp(subject) })).toBeVisible();
	await checkEverywhere(page, '/portal/tickets');
	await page.getByRole('searchbox', { name: 'Search my tickets' }).fill('docking');
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/q=docking/);
	await expect(page.getByRole('link', { name: new RegExp(subject) })).toBeVisible();
	await page.getByRole('link', { name: /Resolved/ }).click();
	await expect(page.getByRole('link', { name: new RegExp(subject) })).toBeHidden();
	await checkEverywhere(page, '/portal');
});
