// The progress line of an ANN index build, shared by ingest and migrate.
import type { ProgressEvent } from '@dynamic-embeddings/pipeline';
import { plural } from './format-values.js';

/** PostgreSQL's reading of a running index build (the db package's IndexBuildProgress). */
type IndexBuildProgress = NonNullable<ProgressEvent['index_build']>;

/**
 * What the display shows while the ANN index is built after the last batch (an hour for millions
 * of rows): PostgreSQL's phase, the share of the table read and the rows indexed so far.
 */
export function indexBuildFigures(build: IndexBuildProgress): string {
  const phase = build.phase.replace(/^building index: /, '');
  const share =
    build.blocks_total > 0
      ? `, ${Math.floor((100 * build.blocks_done) / build.blocks_total)}% of the table read`
      : '';
  return `building the vector index: ${phase}${share}, ${plural(build.tuples_done, 'row')} indexed`;
}
