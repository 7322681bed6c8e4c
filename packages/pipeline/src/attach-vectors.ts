// Gives pending rows their vectors: a stored vector when the row's text is unchanged, otherwise
// one from the provider. Each distinct new text is sent once, however often it repeats.
import type { EmbeddingInput } from '@dynamic-embeddings/db';
import { type EmbeddingProvider, embedAll } from '@dynamic-embeddings/embeddings';
import type { PendingRow } from './document-rows.js';

export interface AttachVectorsOptions {
  readonly provider: EmbeddingProvider;
  readonly rows: readonly PendingRow[];
  /** Stored vector for a text hash, if there is one to reuse. */
  readonly storedVector: (row: PendingRow) => Float32Array | undefined;
  readonly concurrency: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: { readonly done: number; readonly total: number }) => void) | undefined;
}

export interface AttachedVectors {
  readonly records: EmbeddingInput[];
  /** Rows whose vector came from the provider in this call. */
  readonly embedded: number;
  /** Rows whose vector was reused from the store. */
  readonly reused: number;
  /** Per row, in order: whether its vector was reused. */
  readonly reusedAt: readonly boolean[];
}

export async function attachVectors(options: AttachVectorsOptions): Promise<AttachedVectors> {
  const { provider, rows } = options;
  const vectors: (Float32Array | undefined)[] = rows.map((row) => {
    const stored = options.storedVector(row);
    // A stored vector of another length cannot be this provider's; embed again rather than mix.
    return stored?.length === provider.dimensions ? stored : undefined;
  });
  const reused = vectors.filter((vector) => vector !== undefined).length;
  const positionOfText = new Map<string, number>();
  const texts: string[] = [];
  rows.forEach((row, index) => {
    if (vectors[index] !== undefined || positionOfText.has(row.text_hash)) return;
    positionOfText.set(row.text_hash, texts.length);
    texts.push(row.text);
  });
  const fresh =
    texts.length === 0
      ? []
      : await embedAll(provider, texts, {
          concurrency: options.concurrency,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
  const records = rows.map((row, index): EmbeddingInput => {
    const { text_hash: hash, ...columns } = row;
    // Every row has a stored vector or a fresh one for its text: both were filled in above.
    const embedding = vectors[index] ?? (fresh[positionOfText.get(hash) ?? -1] as Float32Array);
    return { ...columns, embedding };
  });
  const reusedAt = vectors.map((vector) => vector !== undefined);
  return { records, embedded: rows.length - reused, reused, reusedAt };
}
