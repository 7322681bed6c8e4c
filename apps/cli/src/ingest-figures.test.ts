import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from './command-context.js';
import { indexMemoryNote } from './index-build-figures.js';
import { ingestFigures, ingestProgress } from './ingest-inputs.js';
import { createOutput } from './output.js';

describe('ingestFigures', () => {
  it('shows documents and chunks stored, requests in flight and tokens per second since the start', () => {
    let now = 1_000;
    const figures = ingestFigures(() => now);
    now += 2_000;
    const afterStore = figures({
      phase: 'store',
      done: 10,
      chunks: 42,
      documents: 10,
      requests_in_flight: 3,
      tokens_embedded: 5_000,
    });
    expect(afterStore).toBe('10 documents, 42 chunks, 3 requests in flight, 2,500 tokens/s');
    // Chunk events carry one document's chunks, not the total: the stored total stays.
    now += 2_000;
    const later = figures({
      phase: 'chunk',
      done: 11,
      chunks: 7,
      documents: 10,
      requests_in_flight: 1,
      tokens_embedded: 6_000,
    });
    expect(later).toBe('10 documents, 42 chunks, 1 request in flight, 1,500 tokens/s');
  });

  it("shows the index build's phase, share of the table read and rows indexed while it runs", () => {
    const figures = ingestFigures(() => 0);
    const build = {
      phase: 'building index: loading tuples',
      blocks_done: 450,
      blocks_total: 1_000,
      tuples_done: 20_320,
    };
    expect(figures({ phase: 'index', done: 0, total: 1, index_build: build })).toBe(
      'building the vector index: loading tuples, 45% of the table read, 20,320 rows indexed',
    );
    // Before the table scan starts PostgreSQL reports no blocks: no share is made up.
    expect(
      figures({
        phase: 'index',
        done: 0,
        total: 1,
        index_build: { ...build, phase: 'initializing', blocks_total: 0, blocks_done: 0, tuples_done: 0 },
      }),
    ).toBe('building the vector index: initializing, 0 rows indexed');
    // Once built, the display goes back to the ingest's figures.
    expect(figures({ phase: 'index', done: 1, total: 1, documents: 3 })).toBe(
      '3 documents, 0 chunks, 0 requests in flight, 0 tokens/s',
    );
  });

  it('says which index is being built from its start, until a reading of the build replaces it', () => {
    const figures = ingestFigures(() => 0);
    expect(figures({ phase: 'index', done: 0, total: 1, index_start: { type: 'hnsw' } })).toBe(
      'building the vector index (hnsw) over every stored row',
    );
    expect(
      figures({
        phase: 'index',
        done: 0,
        total: 1,
        index_build: {
          phase: 'building index: loading tuples',
          blocks_done: 1,
          blocks_total: 4,
          tuples_done: 9,
        },
      }),
    ).toBe('building the vector index: loading tuples, 25% of the table read, 9 rows indexed');
  });

  it('names the memory the graph needs, what the build may use, and the setting to raise', () => {
    expect(indexMemoryNote({ needed_mb: 4_800, granted_mb: 1_024 })).toBe(
      "Note: the vector index's graph needs about 4,800 MB but the build may use 1,024 MB, so pgvector builds it several times slower (PostgreSQL's maintenance_work_mem, raised up to DJE_INDEX_BUILD_MEMORY_MB). If the server has the memory, set DJE_INDEX_BUILD_MEMORY_MB=4800 for the next build.",
    );
  });

  it('gives the start of the index build a line of its own in a log, where lines come every 2 s', async () => {
    const logged = async (quiet: boolean) => {
      let stderr = '';
      const io = {
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
        stdin: Readable.from([]),
      };
      const output = createOutput({ io, json: false, quiet, verbose: false, color: false });
      // Only the output is read by a folder's progress display.
      const context = { output } as unknown as CommandContext;
      const progress = await ingestProgress(context, { folder: true, sources: [], bytesRead: () => 0 });
      progress.onProgress({ phase: 'store', done: 2, sources: 0, documents: 2 });
      // Right after the store line: the throttled progress line would stay silent until the next
      // event, and a build on PGlite sends none.
      progress.onProgress({ phase: 'index', done: 0, total: 1, index_start: { type: 'hnsw' }, documents: 2 });
      return stderr;
    };
    const log = await logged(false);
    expect(log).toContain('building the vector index (hnsw) over every stored row…\n');
    expect(log.indexOf('building the vector index')).toBeGreaterThan(log.indexOf('2 documents'));
    expect(await logged(true)).toBe('');
  });
});
