import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const DEMO = {
	admin: { email: 'admin@demo.test', role: 'Admin', home: '/app' },
	manager: { email: 'manager@demo.test', role: 'IT Manager', home: '/app' },
	agent: { email: 'agent@demo.test', role: 'Agent', home: '/app' },
	user: { email: 'user@demo.test', role: 'End User', home: '/portal' }
} as const;

/** Signs in with the demo button of the given account, as a newcomer would. */
export async function signInWithDemo(page: Page, account: keyof typeof DEMO): Promise<void> {
	const { email, home } = DEMO[account];
	await page.goto('/login');
	await page.getByRole('button', { name: new RegExp(email.replace('.', '\\.')) }).click();
	await expect(page.getByLabel('Email')).toHaveValue(email);
	await expect(page.getByLabel('Password')).toHaveValue('demo1234');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await page.waitForURL((url) => url.pathname === home);
}

/** Zero serious or critical axe-core violations on the current page. */
export async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map(
			(v) =>
				`${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
		),
		`axe violations on ${page.url()}`
	).toEqual([]);
}

export async function expectNoHorizontalScroll(page: Page): Promise<void> {
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - window.innerWidth
	);
	expect(overflow, `page scrolls horizontally on ${page.url()}`).toBeLessThanOrEqual(0);
}
