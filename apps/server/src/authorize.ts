// Authentication and authorisation middleware. Order matters for not leaking information: a
// request is authenticated (401), then its namespace name is checked (400, no SQL), then the key's
// rights (403) — all before any handler can look the namespace up, so a 403 reads the same whether
// or not the namespace exists.
import { validateNamespaceName } from '@dynamic-embeddings/pipeline';
import type { Context, MiddlewareHandler } from 'hono';
import { type ApiKey, createKeyRing, keyAllows } from './api-keys.js';
import type { AppEnv } from './app-env.js';
import { HttpError } from './http-error.js';

export interface Authorizer {
  /** Any valid key (or no keys configured). */
  readonly authenticated: MiddlewareHandler<AppEnv>;
  /** A key allowed on the route's `:ns` namespace; `write` also needs `rw`. */
  namespace(access: 'read' | 'write'): MiddlewareHandler<AppEnv>;
  /** A `*` key with `rw`: creating and dropping namespaces, migrations. */
  readonly admin: MiddlewareHandler<AppEnv>;
  /** Whether the request's key may read `namespace` (for filtering lists). */
  canRead(c: Context<AppEnv>, namespace: string): boolean;
}

function unauthorized(message: string): HttpError {
  return new HttpError({
    code: 'UNAUTHORIZED',
    status: 401,
    message,
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
}

function forbidden(message: string): HttpError {
  return new HttpError({ code: 'FORBIDDEN', status: 403, message });
}

export function createAuthorizer(apiKeys: readonly ApiKey[]): Authorizer {
  const keyRing = createKeyRing(apiKeys);
  const open = apiKeys.length === 0;

  const authenticate = (c: Context<AppEnv>): ApiKey | undefined => {
    if (open) return undefined;
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match?.[1]) {
      throw unauthorized('This API needs a key: send the header "Authorization: Bearer <key>".');
    }
    const apiKey = keyRing.find(match[1]);
    if (apiKey === undefined) throw unauthorized('The API key is not valid. Check the key you were given.');
    return apiKey;
  };

  return {
    authenticated: async (c, next) => {
      c.set('apiKey', authenticate(c));
      await next();
    },

    namespace: (access) => async (c, next) => {
      const apiKey = authenticate(c);
      const namespace = validateNamespaceName(c.req.param('ns'));
      if (apiKey !== undefined && !keyAllows(apiKey, { namespace, write: false })) {
        throw forbidden(`This API key may not use namespace "${namespace}".`);
      }
      if (apiKey !== undefined && access === 'write' && apiKey.access !== 'rw') {
        throw forbidden(
          `This API key is read-only (r); writing to namespace "${namespace}" needs an rw key.`,
        );
      }
      c.set('apiKey', apiKey);
      await next();
    },

    admin: async (c, next) => {
      const apiKey = authenticate(c);
      // DELETE /v1/namespaces/:ns is an admin route too: its name is checked like everywhere else.
      if (c.req.param('ns') !== undefined) validateNamespaceName(c.req.param('ns'));
      if (apiKey !== undefined && (apiKey.namespaces !== '*' || apiKey.access !== 'rw')) {
        throw forbidden(
          'Creating or dropping namespaces and running migrations need a key for every namespace (*) with rw access.',
        );
      }
      c.set('apiKey', apiKey);
      await next();
    },

    canRead(c, namespace) {
      const apiKey = c.get('apiKey');
      return apiKey === undefined || keyAllows(apiKey, { namespace, write: false });
    },
  };
}
