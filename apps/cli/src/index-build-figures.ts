// The progress line of an ANN index build, shared by ingest and migrate.
import type { ProgressEvent } from '@dynamic-embeddings/pipeline';
import { formatCount, plural } from './format-values.js';
import type { Output } from './output.js';

/** PostgreSQL's reading of a running index build (the db package's IndexBuildProgress). */
type IndexBuildProgress = NonNullable<ProgressEvent['index_build']>;
type IndexBuildMemory = NonNullable<ProgressEvent['index_memory']>;
type IndexBuildStart = NonNullable<ProgressEvent['index_start']>;

/**
 * What the display shows during the ANN index build, for ingest and migrate alike: PostgreSQL's
 * latest reading, else (until one arrives, or on PGlite, which sends none) the build's start;
 * undefined for an event that carries neither.
 */
export function indexPhaseFigures(event: {
  readonly index_build?: IndexBuildProgress | undefined;
  readonly index_start?: IndexBuildStart | undefined;
}): string | undefined {
  if (event.index_build !== undefined) return indexBuildFigures(event.index_build);
  if (event.index_start !== undefined) return indexStartFigures(event.index_start);
  return undefined;
}

/** The build's start as the display says it. */
function indexStartFigures(start: IndexBuildStart): string {
  return `building the vector index (${start.type}) over every stored row`;
}

/**
 * Off a terminal a progress line is written at most every 2 s, and a PGlite build sends nothing
 * after its start: the start gets a line of its own there, or a log would stop at the last rows.
 * (On a terminal the bar's detail shows it.)
 */
export function announceIndexStart(output: Output, start: IndexBuildStart | undefined): void {
  if (start !== undefined && !output.stderrInteractive) output.note(`${indexStartFigures(start)}…`);
}

/**
 * What the display shows while the ANN index is built after the last batch (an hour for millions
 * of rows): PostgreSQL's phase, the share of the table read and the rows indexed so far.
 */
function indexBuildFigures(build: IndexBuildProgress): string {
  const phase = build.phase.replace(/^building index: /, '');
  const share =
    build.blocks_total > 0
      ? `, ${Math.floor((100 * build.blocks_done) / build.blocks_total)}% of the table read`
      : '';
  return `building the vector index: ${phase}${share}, ${plural(build.tuples_done, 'row')} indexed`;
}

/** The note before an HNSW build whose graph will not fit in the memory the build may use. */
export function indexMemoryNote(memory: IndexBuildMemory): string {
  return `Note: the vector index's graph needs about ${formatCount(memory.needed_mb)} MB but the build may use ${formatCount(memory.granted_mb)} MB, so pgvector builds it several times slower (PostgreSQL's maintenance_work_mem, raised up to DJE_INDEX_BUILD_MEMORY_MB). If the server has the memory, set DJE_INDEX_BUILD_MEMORY_MB=${memory.needed_mb} for the next build.`;
}
