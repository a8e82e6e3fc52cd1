import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['src', 'static', 'prisma', 'svelte.config.js', 'vite.config.ts', 'package.json'];

/** A hash of the paths, sizes and modification times of everything a build reads. */
export function sourceFingerprint() {
	const hash = createHash('sha256');
	const walk = (p) => {
		const st = statSync(p, { throwIfNoEntry: false });
		if (!st) return;
		if (st.isDirectory()) {
			if (p.endsWith('generated')) return;
			for (const name of readdirSync(p).sort()) walk(join(p, name));
		} else hash.update(`${p}:${st.size}:${st.mtimeMs}\n`);
	};
	ROOTS.forEach(walk);
	return hash.digest('hex');
}
