// The console's only way to the server: the public HTTP API, with the API key the user typed
// (kept for this browser tab only, in sessionStorage).

const keyStorageName = 'dje-console-api-key';

/** An error answer of the API: `{ error: { code, message } }` and its status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(options: { readonly status: number; readonly code: string; readonly message: string }) {
    super(options.message);
    this.status = options.status;
    this.code = options.code;
  }
}

export function apiKey(): string | undefined {
  return sessionStorage.getItem(keyStorageName) ?? undefined;
}

export function setApiKey(key: string | undefined): void {
  if (key === undefined) sessionStorage.removeItem(keyStorageName);
  else sessionStorage.setItem(keyStorageName, key);
}

let unauthorizedHandler: ((error: ApiError) => void) | undefined;

/** Called with every 401, so the shell can ask for a (new) key wherever the request came from. */
export function onUnauthorized(handler: (error: ApiError) => void): void {
  unauthorizedHandler = handler;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly body?: unknown;
  /** Skips the 401 handler: the key prompt checks a key itself. */
  readonly quiet?: boolean;
}

/** One API call; resolves with the parsed JSON body, rejects with ApiError on an error status. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = apiKey();
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) return payload as T;
  const answer = (payload as { error?: { code?: string; message?: string } } | undefined)?.error;
  const error = new ApiError({
    status: response.status,
    code: answer?.code ?? 'HTTP_ERROR',
    message: answer?.message ?? `The server answered ${response.status} ${response.statusText}.`,
  });
  if (response.status === 401 && !options.quiet) unauthorizedHandler?.(error);
  throw error;
}

/** A path segment, escaped. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
