// The console's assets: served at / and /console/* with a CSP that allows no inline script or
// style and nothing from other origins, without an API key (the API calls it makes need one).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../start-server.js';
import { call, startTestBackend, startTestServer, type TestBackend } from '../testing/backend.js';

const built = existsSync(new URL('../../dist/console/console.js', import.meta.url));
let backend: TestBackend;
let server: RunningServer;

beforeAll(async () => {
  backend = await startTestBackend();
  server = await startTestServer(backend, { apiKeys: 'some-key:*:rw' });
});

afterAll(async () => {
  await server?.close();
  await backend?.close();
});

describe.skipIf(!built)('console assets (built by `pnpm build` into dist/console)', () => {
  it('serves the page at / with a strict content security policy and no key', async () => {
    const page = await call(server.url, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // Only same-origin scripts and styles, and no inline script.
    expect(page.body).toContain('<script type="module" src="/console/console.js"></script>');
    expect(page.body).not.toMatch(/<script>|<style>|https?:\/\//);
  });

  it('serves the script and stylesheet, and nothing else from disk', async () => {
    const script = await call(server.url, 'GET', '/console/console.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.body.length).toBeGreaterThan(1000);
    const style = await call(server.url, 'GET', '/console/console.css');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const path of ['/console/index.html', '/console/package.json', '/console/..%2F..%2Fpackage.json']) {
      const other = await call(server.url, 'GET', path);
      expect(other.status, path).toBe(404);
      expect(other.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('leaves the API behind its keys', async () => {
    const namespaces = await call(server.url, 'GET', '/v1/namespaces');
    expect(namespaces.status).toBe(401);
  });
});
