import { describe, expect, it } from 'vitest';
import { ingestFigures } from './ingest-inputs.js';

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
});
