import { defineConfig } from 'prisma/config';

// process.env rather than env(): env() throws when DATABASE_URL is unset, which would break
// `prisma generate` during postinstall on a fresh machine.
export default defineConfig({
	schema: 'prisma/schema.prisma',
	migrations: { path: 'prisma/migrations' },
	datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' }
});
