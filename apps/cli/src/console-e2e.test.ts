// The web console end to end: headless Chromium (playwright-core) against a real `dje serve` on
// 127.0.0.1, with API keys, the embedded database and the local provider. One server and one
// browser for the file; each test saves a screenshot to docs/console/ (the server README shows them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './testing/chromium.js';
import {
  dje,
  embeddedDatabaseArgs,
  examplesDir,
  repoRoot,
  startDjeServer,
  temporaryDirectory,
} from './testing/dje.js';

const executablePath = findChromium();
const key = 'console-e2e-key';
const screenshots = path.join(repoRoot, 'docs', 'console');
const title = executablePath
  ? 'web console in headless Chromium'
  : 'web console in headless Chromium (skipped: no Chromium; install Debian\'s "chromium" package or set CHROMIUM_PATH)';

describe.skipIf(executablePath === undefined)(title, () => {
  const directory = temporaryDirectory('console');
  let url: string;
  let stop: () => Promise<unknown>;
  let browser: Browser;
  let page: Page;

  // The viewport, or the whole page for the tall chunk inspector.
  const shot = (name: string, fullPage = false) =>
    page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage, animations: 'disabled' });

  beforeAll(async () => {
    const database = embeddedDatabaseArgs(directory.path);
    // Every example document, in one collection of one namespace.
    const ingest = await dje([
      ...database,
      '--namespace',
      'marketing',
      'ingest',
      examplesDir,
      '--collection',
      'examples',
    ]);
    expect(ingest.code, ingest.stderr).toBe(0);
    ({ url, stop } = await startDjeServer(database, { env: { DJE_API_KEYS: `${key}:*:rw` } }));
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stop?.();
    directory.remove();
  });

  it('asks for the API key, then lists the namespaces', async () => {
    const response = await page.goto(`${url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    const row = page.getByRole('row', { name: /marketing/ });
    await expect.poll(() => row.count()).toBe(1);
    const cells = await row.getByRole('cell').allTextContents();
    // The namespace's name is the row header; the cells follow it.
    expect(cells[0]).toMatch(/^[1-9][\d,]*$/);
    expect(cells[1]).toMatch(/\d (bytes|kB|MB)$/);
    expect(cells[2]).toMatch(/\d (bytes|kB|MB)$/);
    expect(cells[3]).toBe('vector');
    expect(cells[4]).toContain('local/');
    await shot('namespaces');
    await row.getByRole('link', { name: 'marketing' }).click();
    await page.getByRole('heading', { name: 'examples' }).waitFor();
    expect(await page.getByRole('img', { name: /^Strategies: / }).count()).toBe(1);
    await page.getByText('No backups.').waitFor();
    await shot('namespace');
  });

  it('runs a filtered search and shows only the filtered document, with the plan', async () => {
    await page.goto(`${url}/#/search?namespace=marketing`);
    await page.getByLabel('Query').fill('mobile banner campaign in Norway');
    await page.getByLabel('Document id').fill('products');
    await page.getByLabel('Collection').selectOption('examples');
    await page.getByLabel('Limit').fill('3');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: /results?$/ }).waitFor();
    const documents = await page.locator('.results .hit-head a').allTextContents();
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.length).toBeLessThanOrEqual(3);
    expect(new Set(documents)).toEqual(new Set(['products']));
    await page.getByText('Plan (explain)').click();
    expect(await page.locator('details pre').textContent()).toContain('"strategy"');
    // A string: this package's TypeScript has no DOM types.
    await page.evaluate('window.scrollTo(0, 0)');
    await shot('search');
  });

  it('inspects how an uploaded JSON document is chunked, with the auto scores and highlighted regions', async () => {
    await page.goto(`${url}/#/chunk`);
    await page.getByLabel('Or upload a JSON file').setInputFiles(path.join(examplesDir, 'campaigns.json'));
    await expect.poll(() => page.getByLabel('JSON document').inputValue()).toContain('"campaigns"');
    await page.getByRole('button', { name: 'Chunk', exact: true }).click();
    await page.getByRole('heading', { name: /chunks, .* tokens, strategy/ }).waitFor();
    const scores = page.getByRole('table', { name: /Strategy scores/ });
    // A header row and one row for each of the five strategies, the chosen one marked.
    expect(await scores.getByRole('row').count()).toBe(6);
    expect(await scores.getByRole('rowheader', { name: /\(chosen\)/ }).count()).toBe(1);
    const chunks = page.getByRole('list', { name: 'Chunks' }).getByRole('button');
    expect(await chunks.count()).toBeGreaterThan(1);
    // The second chunk covers the first campaign: selecting it highlights that part of the tree.
    const label = await chunks.nth(1).textContent();
    expect(label).toContain('$.campaigns[0:1]');
    await chunks.nth(1).click();
    await expect
      .poll(() => page.locator('.tree .selected').first().getAttribute('data-path'))
      .toBe('$.campaigns[0]');
    await shot('chunk-inspector', true);
  });

  it('chunks with the strategy picked in the select', async () => {
    await page.goto(`${url}/#/chunk`);
    await page.getByLabel('Or upload a JSON file').setInputFiles(path.join(examplesDir, 'campaigns.json'));
    await expect.poll(() => page.getByLabel('JSON document').inputValue()).toContain('"campaigns"');
    await page.getByLabel('Strategy', { exact: true }).selectOption('flat');
    await page.getByRole('button', { name: 'Chunk', exact: true }).click();
    await page.getByRole('heading', { name: /tokens, strategy flat / }).waitFor();
    expect(await page.getByLabel('Strategy', { exact: true }).inputValue()).toBe('flat');
  });

  it('shows a stored document in path order and deletes it only after confirming', async () => {
    await page.goto(`${url}/#/namespaces/marketing/documents/campaigns`);
    await page.getByRole('heading', { name: 'Document campaigns' }).waitFor();
    await page.locator('.results li').first().waitFor();
    const paths = await page.locator('.results .hit-head code').allTextContents();
    expect(paths[0]).toBe('$');
    // By keyboard: Enter opens the confirmation, Escape cancels it.
    await page.getByRole('button', { name: 'Delete document…' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete document campaigns?' });
    await dialog.waitFor();
    await shot('document-delete');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    const stillThere = await fetch(`${url}/v1/namespaces/marketing/documents/campaigns`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(stillThere.status).toBe(200);
    await page.getByRole('button', { name: 'Delete document…' }).click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText(/Deleted document campaigns: \d+ chunks removed/).waitFor();
    const gone = await fetch(`${url}/v1/namespaces/marketing/documents/campaigns`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(gone.status).toBe(404);
  });

  it('says clearly when the API key is wrong', async () => {
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 600 } });
    try {
      await fresh.goto(`${url}/`);
      await fresh.getByLabel('API key', { exact: true }).fill('not-the-key');
      await fresh.getByRole('button', { name: 'Use this key' }).click();
      const alert = fresh.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe(
        'The server did not accept this key: The API key is not valid. Check the key you were given.',
      );
      await fresh.screenshot({ path: path.join(screenshots, 'wrong-key.png'), animations: 'disabled' });
    } finally {
      await fresh.close();
    }
  });
});
