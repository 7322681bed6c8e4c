// Benchmark reporting shared by every benchmark: prints a table with the command that produced it
// and writes the same table into its own section of docs/benchmarks.md (other sections are kept).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUrl } from '@dynamic-embeddings/db';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const benchmarksFile = path.join(repoRoot, 'docs', 'benchmarks.md');

export interface Table {
  /** Optional caption printed above the table. */
  readonly title?: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface Section {
  /** Stable id of the section, e.g. `insert`; a run replaces only its own section. */
  readonly id: string;
  /** Heading of the section. */
  readonly title: string;
  /** The exact command line that produced the numbers. */
  readonly command: string;
  /** Database/driver facts, e.g. `PGlite 0.5.14 in-process (PostgreSQL 17.5, pgvector 0.8.1)`. */
  readonly environment: string;
  readonly tables: readonly Table[];
  /** Free text after the tables: targets, which hold and which do not, caveats. */
  readonly notes?: readonly string[];
  /** Relative paths (from docs/) of SVG charts to embed. */
  readonly charts?: readonly string[];
  /** Put the section before every other one when it is first written (the run summary). */
  readonly first?: boolean;
}

/** Formats a number for a table: integers with thousands separators, others to 3 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function cell(value: string | number): string {
  return typeof value === 'number' ? formatNumber(value) : value;
}

export function renderMarkdownTable(table: Table): string {
  const lines = [`| ${table.headers.join(' | ')} |`, `| ${table.headers.map(() => '---').join(' | ')} |`];
  for (const row of table.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return (table.title ? `**${table.title}**\n\n` : '') + lines.join('\n');
}

export function renderTextTable(table: Table): string {
  const rows = [table.headers.map(String), ...table.rows.map((row) => row.map(cell))];
  const widths = table.headers.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((value, column) => value.padEnd(widths[column] ?? 0)).join('  ');
  const out = [
    line(rows[0] ?? []),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.slice(1).map(line),
  ];
  return (table.title ? `${table.title}\n` : '') + out.join('\n');
}

export function machineSummary(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${os.platform()} ${os.arch()}`;
}

/** The command line of this process, as a user would type it from the repository root. */
export function currentCommand(): string {
  // `pnpm --filter … exec` runs in the bench package's folder, so the script path is relative to it.
  const script = path.relative(path.join(repoRoot, 'tooling', 'bench'), process.argv[1] ?? '');
  const databaseUrl = process.env.DATABASE_URL;
  return [
    ...(databaseUrl?.startsWith('postgres') ? [`DATABASE_URL=${redactUrl(databaseUrl)}`] : []),
    'pnpm --filter @dynamic-embeddings/bench exec tsx --conditions=source',
    script,
    ...process.argv.slice(2),
  ].join(' ');
}

export function renderSection(section: Section): string {
  const parts = [
    `## ${section.title}`,
    `Command: \`${section.command}\`  \nMachine: ${machineSummary()}  \nDatabase: ${section.environment}  \nRun: ${new Date().toISOString()}`,
    ...section.tables.map(renderMarkdownTable),
    ...(section.charts ?? []).map((chart) => `![${section.title}](${chart})`),
    ...(section.notes ?? []),
  ];
  return parts.join('\n\n');
}

/** Prints the section to stdout and writes it into docs/benchmarks.md, replacing its previous run. */
export function publish(section: Section, file: string = benchmarksFile): void {
  console.log(`\n${section.title}\ncommand: ${section.command}\ndatabase: ${section.environment}\n`);
  for (const table of section.tables) console.log(`${renderTextTable(table)}\n`);
  for (const note of section.notes ?? []) console.log(note);
  upsertSection(file, section.id, renderSection(section), { first: section.first === true });
}

export function upsertSection(
  file: string,
  id: string,
  body: string,
  options: { readonly first?: boolean } = {},
): void {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  mkdirSync(path.dirname(file), { recursive: true });
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nGenerated by `pnpm bench`; each section is rewritten by its own benchmark run.\n';
  const block = `${start}\n${body}\n${end}`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const firstSection = current.indexOf('<!-- bench:');
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : options.first === true && firstSection >= 0
        ? `${current.slice(0, firstSection)}${block}\n\n${current.slice(firstSection)}`
        : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

/**
 * Which database a run measures. Runs against a real PostgreSQL (a `postgres://` DATABASE_URL or
 * --database-url) write their own sections, so PGlite and PostgreSQL numbers are never mixed up.
 */
export type DatabaseTarget = 'pglite' | 'postgres';

export function databaseTarget(url: string | undefined): DatabaseTarget {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'pglite';
}

/** The section id and title for a target: `search` / `search-postgres`, titles naming the database. */
export function sectionFor(
  target: DatabaseTarget,
  section: { readonly id: string; readonly title: string },
): { readonly id: string; readonly title: string } {
  return target === 'postgres'
    ? { id: `${section.id}-postgres`, title: `${section.title} (PostgreSQL)` }
    : { id: section.id, title: `${section.title} (PGlite)` };
}

export const chartsDirectory = path.join(path.dirname(benchmarksFile), 'charts');

/**
 * Writes an SVG chart to docs/charts/NAME.svg (NAME-postgres.svg for a PostgreSQL run) and returns
 * its path relative to docs/, for `Section.charts`.
 */
export function writeChart(options: {
  readonly name: string;
  readonly svg: string;
  readonly target: DatabaseTarget;
  readonly directory?: string;
}): string {
  const fileName = `${options.name}${options.target === 'postgres' ? '-postgres' : ''}.svg`;
  const directory = options.directory ?? chartsDirectory;
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, fileName), options.svg);
  return `charts/${fileName}`;
}

const requireFromHere = createRequire(import.meta.url);

/**
 * The installed version of a dependency of this package (e.g. `@electric-sql/pglite`), for the
 * report's environment lines; `unknown` when it cannot be found. Walks up from the package's entry
 * file because not every package exports its package.json.
 */
export function packageVersion(name: string): string {
  let directory: string;
  try {
    directory = path.dirname(requireFromHere.resolve(name));
  } catch {
    try {
      directory = path.dirname(fileURLToPath(import.meta.resolve(name)));
    } catch {
      return 'unknown';
    }
  }
  for (;;) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === name) return parsed.version ?? 'unknown';
    }
    const parent = path.dirname(directory);
    if (parent === directory) return 'unknown';
    directory = parent;
  }
}
