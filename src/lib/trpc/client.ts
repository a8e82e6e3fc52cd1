import {
	createTRPCClient,
	createWSClient,
	httpBatchLink,
	splitLink,
	TRPCClientError,
	wsLink
} from '@trpc/client';
import type { AppRouter } from '$lib/server/trpc/root';
import { transformer } from './transformer';

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;
let client: Client | undefined;

/**
 * The browser's tRPC client: queries and mutations over HTTP batches, subscriptions over one
 * WebSocket (opened lazily on the first subscription, reconnecting on its own).
 */
export function trpc(): Client {
	if (!client) {
		const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
		let ws: ReturnType<typeof createWSClient> | undefined;
		const wsClient = () =>
			(ws ??= createWSClient({
				url: `${proto}//${location.host}/api/ws`,
				lazy: { enabled: true, closeMs: 10_000 }
			}));
		client = createTRPCClient<AppRouter>({
			links: [
				splitLink({
					condition: (op) => op.type === 'subscription',
					true: wsLink({ client: wsClient(), transformer }),
					false: httpBatchLink({ url: '/api/trpc', transformer })
				})
			]
		});
	}
	return client;
}

export type FieldErrors = Record<string, string[] | undefined>;

/** Per-field messages from a failed call (empty when the error was not about fields). */
export function fieldErrors(err: unknown): FieldErrors {
	if (err instanceof TRPCClientError) {
		const data = err.data as { fields?: FieldErrors } | undefined;
		return data?.fields ?? {};
	}
	return {};
}

export function errorMessage(err: unknown): string {
	if (err instanceof TRPCClientError) return err.message;
	return 'Something went wrong. Please try again.';
}
