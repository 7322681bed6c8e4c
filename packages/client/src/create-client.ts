// The typed client: openapi-fetch over the generated paths, with the API key sent the one way the
// server reads it.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/api.js';

export interface DjeClientOptions {
  /** Where `dje serve` listens, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` when the server has API keys (DJE_API_KEYS). */
  readonly apiKey?: string;
  /** Another fetch (tests, proxies); default: the global one. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

/** A client whose methods (`GET`, `POST`, …) take the API's paths, parameters and bodies, typed. */
export type DjeClient = Client<paths>;

export function createDjeClient(options: DjeClientOptions): DjeClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.apiKey === undefined ? {} : { headers: { Authorization: `Bearer ${options.apiKey}` } }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}
