import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type { PrismaClient };
export * from './generated/enums';

const holder = globalThis as unknown as { __itsmPrisma?: PrismaClient };

/**
 * The one PrismaClient, created lazily (SvelteKit's post-build analysis imports server modules
 * without a database) and kept on globalThis so dev reloads don't open a pool each.
 */
export function db(): PrismaClient {
	if (!holder.__itsmPrisma) {
		const connectionString = process.env.DATABASE_URL;
		if (!connectionString) throw new Error('DATABASE_URL is not set: the database was not started');
		holder.__itsmPrisma = new PrismaClient({
			adapter: new PrismaPg({ connectionString, max: Number(process.env.DB_POOL_SIZE ?? 10) }),
			// Under bursts (REST at concurrency 50) transactions queue for a pooled connection:
			// wait for one rather than fail after Prisma's default 2 s.
			transactionOptions: { maxWait: 15_000, timeout: 20_000 }
		});
	}
	return holder.__itsmPrisma;
}

export async function disconnectDb(): Promise<void> {
	const client = holder.__itsmPrisma;
	holder.__itsmPrisma = undefined;
	await client?.$disconnect();
}
