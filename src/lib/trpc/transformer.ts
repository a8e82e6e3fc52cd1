import { parse, stringify } from 'devalue';

/**
 * tRPC data transformer shared by server and browser: devalue keeps Dates, BigInts, Maps and
 * Sets intact across the wire (SvelteKit already ships devalue to the browser).
 */
export const transformer = {
	serialize: (value: unknown) => stringify(value),
	deserialize: (value: string) => parse(value) as unknown
};
