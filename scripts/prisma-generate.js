// Runs `prisma generate` without Prisma's native schema engine, which cannot be downloaded on
// machines that only reach the npm registry: generation needs only the WebAssembly compiler
// shipped in npm, so the engine path points at a stub that exits 1.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

// Inside the project (not /tmp, which other users on the machine may already own).
const stubDir = join('node_modules', '.cache', 'itsm-prisma-stub');
mkdirSync(stubDir, { recursive: true });
const stub = join(stubDir, 'schema-engine');
writeFileSync(stub, '#!/bin/sh\nexit 1\n');
chmodSync(stub, 0o755);

const result = spawnSync('npx', ['prisma', 'generate'], {
	stdio: 'inherit',
	env: {
		...process.env,
		PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub,
		PRISMA_HIDE_UPDATE_MESSAGE: '1',
		CHECKPOINT_DISABLE: '1'
	}
});
process.exit(result.status ?? 1);
