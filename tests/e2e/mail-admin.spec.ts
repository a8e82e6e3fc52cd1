import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { transformer } from '../../src/lib/trpc/transformer';
import { expectAccessible, expectNoHorizontalScroll, signInWithDemo } from './helpers';

/**
 * The mail admin: an account form with per-field errors and a connection test that shows the
 * server's own error, the accounts list, a template edited and reset, the failed-mail tab. Accounts
 * are global: every one made here carries a word made for this run and is deleted at the end.
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

/** Deletes this run's accounts, whatever state a failed test left them in. */
async function removeAccounts(page: Page, word: string) {
	const accounts = await call<{ id: string; name: string }[]>(
		page,
		'mail.accounts.list',
		null,
		true
	);
	for (const a of accounts.filter((x) => x.name.includes(word)))
		await call(page, 'mail.accounts.delete', { id: a.id });
}

/** A local port nothing listens on (taken from the OS, then released). */
function closedPort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => done(port));
		});
	});
}

test('an admin adds a sending-only mail account, sees what is wrong and what the server says', async ({
	page
}) => {
	test.setTimeout(90_000);
	const word = `mail${randomUUID().slice(0, 6)}`;
	const name = `Outgoing ${word}`;
	const port = await closedPort();
	await signInWithDemo(page, 'admin');
	try {
		await page.goto('/app/admin/mail');
		await expect(page.getByRole('heading', { name: 'Mail', level: 1 })).toBeVisible();
		await page.getByRole('link', { name: 'New account' }).first().click();
		await expect(page.getByRole('heading', { name: 'New mail account', level: 1 })).toBeVisible();

		// IMAP without a server or a user: the server names each missing field beside it.
		await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
		await page.getByRole('textbox', { name: 'Email address' }).fill(`${word}@example.test`);
		await page.getByLabel('How mail arrives').selectOption('IMAP');
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.getByRole('alert').first()).toContainText('fix the fields marked below');
		const host = page.getByRole('textbox', { name: 'IMAP server' });
		await expect(host).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByText('Enter the server name.')).toBeVisible();
		await expect(page.getByRole('textbox', { name: 'User name', exact: true })).toHaveAttribute(
			'aria-invalid',
			'true'
		);
		await expect(page.getByText('Enter the user name.')).toBeVisible();

		// Sending only, through a server that is not there: the test shows the server's error.
		await page.getByLabel('How mail arrives').selectOption('NONE');
		await expect(page.getByText('This account receives nothing')).toBeVisible();
		await page.getByRole('textbox', { name: 'Outgoing server' }).fill('127.0.0.1');
		await page.getByRole('spinbutton', { name: 'SMTP port' }).fill(String(port));
		await page.getByLabel('Security').selectOption('none');
		await page.getByRole('button', { name: 'Test outgoing connection' }).click();
		const result = page.getByRole('alert').filter({ hasText: 'Could not connect' });
		await expect(result).toContainText('Could not connect to the outgoing server');
		await expect(result).toContainText('ECONNREFUSED');
		await expect(result).toContainText(String(port));

		await page.getByRole('button', { name: 'Create account' }).click();
		await page.waitForURL((url) => url.pathname === '/app/admin/mail');
		const row = page.getByRole('row', { name: new RegExp(name) });
		await expect(row).toContainText('No incoming mail');
		await expect(row).toContainText('Yes');
		await expect(row).toContainText('127.0.0.1');

		// Opened again: the saved settings are there; deleting asks once.
		await row.getByRole('link', { name }).click();
		await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
		await expect(page.getByRole('spinbutton', { name: 'SMTP port' })).toHaveValue(String(port));
		await expect(page.getByRole('button', { name: 'Send test email' })).toBeDisabled();
		page.once('dialog', (d) => void d.accept());
		await page.getByRole('button', { name: 'Delete account' }).click();
		await page.waitForURL((url) => url.pathname === '/app/admin/mail');
		await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
	} finally {
		await removeAccounts(page, word);
	}
});

test('an admin edits a template, resets it, and finds no failed mail', async ({ page }) => {
	const word = `tpl${randomUUID().slice(0, 6)}`;
	const label = 'Assignment to an agent';
	await signInWithDemo(page, 'admin');
	try {
		await page.goto('/app/admin/mail?tab=templates');
		const item = page.getByRole('listitem', { name: label });
		await expect(item).toBeVisible();
		await item.getByRole('button', { name: `Edit ${label}` }).click();
		const dialog = page.getByRole('dialog', { name: `Edit: ${label}` });
		await dialog.getByRole('textbox', { name: 'Subject' }).fill('');
		await dialog.getByRole('button', { name: 'Save template' }).click();
		await expect(dialog.getByText('The subject is required.')).toBeVisible();
		await dialog.getByRole('textbox', { name: 'Subject' }).fill(`Yours now ${word}: `);
		await dialog.getByRole('textbox', { name: 'Body (Markdown)' }).press('ControlOrMeta+End');
		await dialog.getByRole('button', { name: '{{agent.name}}' }).click();
		await dialog.getByRole('button', { name: 'Save template' }).click();
		await expect(dialog).toBeHidden();
		await expect(item).toContainText(`Yours now ${word}:`);
		await expect(item).toContainText('Customised');
		await expect(item).toContainText('{{ticket.url}}{{agent.name}}');

		page.once('dialog', (d) => void d.accept());
		await item.getByRole('button', { name: `Reset ${label} to default` }).click();
		await expect(item).toContainText('Assigned to you: {{ticket.subject}}');
		await expect(item).not.toContainText('Customised');

		await page.getByRole('tab', { name: /Failed mail/ }).click();
		await expect(page.getByRole('heading', { name: 'No failed mail' })).toBeVisible();
		await page.getByLabel('Show ignored mail instead').check();
		await expect(
			page.getByRole('heading', { name: 'No ignored mail' }).or(page.getByRole('table'))
		).toBeVisible();
	} finally {
		await call(page, 'mail.templates.reset', { key: 'ticket.assigned' });
	}
});

test('the mail pages are accessible in both themes and fit a phone', async ({ page }) => {
	test.setTimeout(120_000);
	const word = `a11y${randomUUID().slice(0, 6)}`;
	await signInWithDemo(page, 'admin');
	const account = await call<{ id: string }>(page, 'mail.accounts.create', {
		name: `Webhook ${word}`,
		address: `${word}@example.test`,
		inbound: 'WEBHOOK',
		smtpHost: '127.0.0.1',
		smtpPort: 9
	});
	try {
		const pages = [
			'/app/admin/mail',
			'/app/admin/mail?tab=listener',
			'/app/admin/mail?tab=templates',
			'/app/admin/mail?tab=failed',
			'/app/admin/mail/new',
			`/app/admin/mail/${account.id}`
		];
		for (const theme of ['dark', 'light'] as const) {
			for (const path of pages) {
				await page.goto(path);
				await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
				await expect(page.locator('h1').first()).toBeVisible();
				await expectAccessible(page);
			}
			// The form with its errors and the POP3 fields open.
			await page.goto('/app/admin/mail/new');
			await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
			await page.getByLabel('How mail arrives').selectOption('POP3');
			await page.getByRole('button', { name: 'Create account' }).click();
			await expect(page.getByRole('alert').first()).toBeVisible();
			await expectAccessible(page);
		}
		await page.setViewportSize({ width: 360, height: 780 });
		for (const path of pages) {
			await page.goto(path);
			await expect(page.locator('h1').first()).toBeVisible();
			await expectNoHorizontalScroll(page);
		}
	} finally {
		await removeAccounts(page, word);
	}
});
