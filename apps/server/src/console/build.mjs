// Bundles the console (src/console, Preact) into dist/console at build time: one script, one
// stylesheet and the page, served by the server at `/` with nothing fetched from elsewhere.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

// Here, under src/, so a change to it is a change to the build's inputs (turbo hashes src/**).
const source = new URL('./', import.meta.url);
const output = new URL('../../dist/console/', import.meta.url);
mkdirSync(output, { recursive: true });
await build({
  entryPoints: [new URL('main.tsx', source).pathname],
  outfile: new URL('console.js', output).pathname,
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'console.css']) copyFileSync(new URL(file, source), new URL(file, output));
