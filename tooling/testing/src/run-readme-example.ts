// A package's README example is its first test: this runs the first ```ts block after a heading,
// as written, and returns what it printed with console.log.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ReadmeExampleRun {
  readonly readme: string;
  readonly example: string;
  /** The example's console.log lines. */
  readonly printed: readonly string[];
}

/**
 * Extracts the example under `heading` (default: the first ```ts block of the README) and imports
 * it from a scratch folder inside the package, so the package name resolves as for any user.
 */
export async function runReadmeExample(
  packageDir: string,
  options: { readonly heading?: string } = {},
): Promise<ReadmeExampleRun> {
  const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
  const from = options.heading === undefined ? 0 : readme.indexOf(options.heading);
  if (from < 0) throw new Error(`README has no heading ${options.heading}`);
  const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(from))?.[1];
  if (example === undefined) throw new Error('README has no ```ts example');
  const scratch = mkdtempSync(path.join(packageDir, '.readme-example-'));
  const file = path.join(scratch, 'example.ts');
  writeFileSync(file, example);
  const printed: string[] = [];
  const log = console.log;
  console.log = (...values: unknown[]) => {
    printed.push(values.map(String).join(' '));
  };
  try {
    await import(file);
  } finally {
    console.log = log;
    rmSync(scratch, { recursive: true, force: true });
  }
  return { readme, example, printed };
}
