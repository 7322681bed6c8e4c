// The web console at `/`: one page, one script, one stylesheet, bundled at build time into
// dist/console. Read from disk on first request and then kept, so a server whose console is never
// opened pays nothing at start-up. The API key stays the browser's business: these assets are
// public, and every call the console makes goes through the API's own authentication.
import { readFile } from 'node:fs/promises';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { HttpError } from '../http-error.js';
import type { RouteContext } from '../route-context.js';

/** dist/console, from src/routes (tests) and dist/routes (the built server) alike. */
const assetDirectory = new URL('../../dist/console/', import.meta.url);

const assets = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;

type AssetName = keyof typeof assets;

/**
 * Only this server's own files, no inline script or style, API calls to this origin only; the
 * console's SVG charts and `element.style` need nothing more.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const cache = new Map<AssetName, Promise<string>>();

function loadAsset(name: AssetName): Promise<string> {
  let loaded = cache.get(name);
  if (loaded === undefined) {
    loaded = readFile(new URL(name, assetDirectory), 'utf8');
    // A failed read (console not built yet) is retried on the next request.
    loaded.catch(() => cache.delete(name));
    cache.set(name, loaded);
  }
  return loaded;
}

async function serveAsset(c: Context<AppEnv>, name: AssetName): Promise<Response> {
  let body: string;
  try {
    body = await loadAsset(name);
  } catch (error) {
    throw new HttpError({
      code: 'NOT_FOUND',
      status: 404,
      message: `The web console is not built (${name} is missing): run "pnpm build" in apps/server. The API works without it.`,
      cause: error,
    });
  }
  return c.body(body, 200, {
    'content-type': assets[name],
    'content-security-policy': consoleContentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // The page is tiny and must pick up a new build at once; script and style names are fixed.
    'cache-control': 'no-cache',
  });
}

export function registerConsoleRoutes({ app }: RouteContext): void {
  app.get('/', (c) => serveAsset(c, 'index.html'));
  app.get('/console/:file', (c) => {
    const name = c.req.param('file');
    if (!(name in assets) || name === 'index.html') return c.notFound();
    return serveAsset(c, name as AssetName);
  });
}
