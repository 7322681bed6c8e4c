// Re-embedding a namespace: every row's text and metadata copied into another namespace with the
// pipeline's provider (another model, other dimensions), page by page in id order. Each page is
// embedded through the batched path (distinct texts, requests of maxInputsPerCall, bounded
// concurrency) and written in one transaction, so an interrupted run leaves whole pages; a re-run
// skips the rows the target already has. The source is only read.
import { createError, invalidOption } from '@dynamic-embeddings/core';
import {
  type EmbeddingRecord,
  findNamespace,
  type NamespaceHandle,
  openNamespace,
  openOrCreateNamespace,
} from '@dynamic-embeddings/db';
import { attachVectors } from './attach-vectors.js';
import { throwIfCancelled } from './cancellation.js';
import type { PendingRow } from './document-rows.js';
import type { PipelineContext } from './pipeline-context.js';
import type { ReembedOptions, ReembedResult } from './pipeline-types.js';

export const DEFAULT_REEMBED_PAGE_ROWS = 1_000;

/** The row to write, waiting for its vector: the source's columns without identity and timestamps. */
function toPending(record: EmbeddingRecord): PendingRow {
  const { id: _id, created_at: _created, updated_at: _updated, embedding: _old, ...row } = record;
  // Columns with defaults are left out when NULL, as a writer that never set them would.
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as PendingRow;
}

/** Tokens of the texts to embed: the count the chunker stored, or ~4 characters a token. */
function estimatedTokens(records: readonly EmbeddingRecord[]): number {
  return records.reduce((sum, record) => sum + (record.token_count ?? Math.ceil(record.text.length / 4)), 0);
}

/** The target, created for the provider's model with the source's index policy when missing. */
async function openTarget(
  context: PipelineContext,
  source: NamespaceHandle,
  target: string,
): Promise<NamespaceHandle> {
  const { provider } = context;
  const { record } = source;
  const { handle } = await openOrCreateNamespace(context.store.db, {
    namespace: target,
    dimensions: provider.dimensions,
    provider: provider.provider,
    model: provider.model,
    index: record.index_type,
    indexParams: record.index_params,
    indexThreshold: record.index_threshold,
    recallTarget: record.recall_target,
  });
  return handle;
}

interface Tally {
  sourceRows: number;
  skipped: number;
  embedded: number;
  tokens: number;
  requests: number;
}

/** One page: the rows the target lacks, embedded and written (or, in a dry run, only counted). */
async function reembedPage(
  context: PipelineContext,
  options: {
    readonly page: readonly EmbeddingRecord[];
    readonly target: NamespaceHandle | undefined;
    readonly tally: Tally;
    readonly run: ReembedOptions;
  },
): Promise<void> {
  const { page, target, tally, run } = options;
  const present =
    target === undefined ? new Set<string>() : await target.existingChunkIds(page.map((row) => row.chunk_id));
  const missing = page.filter((row) => !present.has(row.chunk_id));
  tally.sourceRows += page.length;
  tally.skipped += page.length - missing.length;
  const texts = new Set(missing.map((row) => row.text_hash)).size;
  tally.tokens += estimatedTokens(missing);
  tally.requests += Math.ceil(texts / context.provider.maxInputsPerCall);
  if (run.dryRun === true || missing.length === 0 || target === undefined) return;
  const attached = await attachVectors({
    provider: context.provider,
    rows: missing.map(toPending),
    storedVector: () => undefined,
    concurrency: context.concurrency,
    signal: run.signal,
  });
  throwIfCancelled(run.signal, { rows_written: tally.embedded });
  await target.insert(attached.records, { batchSize: attached.records.length });
  tally.embedded += missing.length;
}

/**
 * Re-embeds `source` into `target` with the context's provider. A dry run reads the source (and
 * the target, when it exists) and reports what a run would send: rows, texts' tokens, requests.
 */
export async function reembedNamespace(
  context: PipelineContext,
  run: ReembedOptions,
): Promise<ReembedResult> {
  if (run.source === run.target) {
    throw invalidOption(`Re-embedding needs another target than its source "${run.source}".`, {
      details: { source: run.source, target: run.target },
    });
  }
  const pageRows = run.pageRows ?? DEFAULT_REEMBED_PAGE_ROWS;
  if (!Number.isInteger(pageRows) || pageRows < 1) {
    throw invalidOption(`pageRows must be a whole number ≥ 1, got ${String(pageRows)}.`);
  }
  const { db } = context.store;
  const source = await openNamespace(db, run.source);
  const embedding = context.provider;
  const target =
    run.dryRun === true
      ? await findNamespace(db, run.target, { embedding })
      : await openTarget(context, source, run.target);
  const tally: Tally = { sourceRows: 0, skipped: 0, embedded: 0, tokens: 0, requests: 0 };
  for (let afterId = 0; ; ) {
    throwIfCancelled(run.signal, { rows_written: tally.embedded });
    const page = await source.scanRows({ afterId, limit: pageRows });
    if (page.length === 0) break;
    await reembedPage(context, { page, target, tally, run });
    afterId = page[page.length - 1]?.id ?? afterId;
    run.onProgress?.({ rows_done: tally.sourceRows, rows_written: tally.embedded });
  }
  const targetRows = target === undefined ? 0 : await countRows(target);
  if (run.dryRun !== true && targetRows < tally.sourceRows) {
    throw createError({
      code: 'REEMBED_INCOMPLETE',
      message: `Namespace "${run.target}" has ${targetRows} rows after re-embedding ${tally.sourceRows} from "${run.source}"; rows were removed from it meanwhile. Run the re-embedding again to fill it in.`,
      details: { source_rows: tally.sourceRows, target_rows: targetRows },
    });
  }
  return {
    source: run.source,
    target: run.target,
    provider: embedding.provider,
    model: embedding.model,
    dimensions: embedding.dimensions,
    dry_run: run.dryRun === true,
    source_rows: tally.sourceRows,
    skipped_rows: tally.skipped,
    embedded_rows: tally.embedded,
    estimated_tokens: tally.tokens,
    requests: tally.requests,
    target_rows: targetRows,
  };
}

async function countRows(handle: NamespaceHandle): Promise<number> {
  const stats = await handle.stats();
  return stats.exists ? stats.embedding_count : 0;
}
