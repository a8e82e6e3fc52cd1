import type { Theme } from './types';

/**
 * Set `<html data-theme>` without animating every colour: transitions are switched off
 * (`.theme-switching` in base.css) for two frames so the page flips at once instead of fading
 * through mixed colours.
 */
export function applyTheme(theme: Theme): void {
	const root = document.documentElement;
	if (root.dataset.theme === theme) return;
	root.classList.add('theme-switching');
	root.dataset.theme = theme;
	// Force a style recalculation while transitions are off, then restore them.
	void window.getComputedStyle(root).backgroundColor;
	requestAnimationFrame(() =>
		requestAnimationFrame(() => root.classList.remove('theme-switching'))
	);
}
