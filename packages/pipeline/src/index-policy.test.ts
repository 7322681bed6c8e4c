import { describe, expect, it } from 'vitest';
import { embeddedIndexPolicy, withIndexDefaults } from './index-policy.js';

describe('withIndexDefaults', () => {
  it('keeps the defaults when a call says nothing, including options left undefined', () => {
    expect(withIndexDefaults(embeddedIndexPolicy, { index: undefined, indexThreshold: undefined })).toEqual(
      embeddedIndexPolicy,
    );
  });

  it('lets a call override the type and threshold', () => {
    expect(withIndexDefaults(embeddedIndexPolicy, { index: 'hnsw' })).toEqual({
      index: 'hnsw',
      indexThreshold: 10_000,
    });
    expect(withIndexDefaults(embeddedIndexPolicy, { indexThreshold: 0 })).toEqual({
      index: 'ivfflat',
      indexThreshold: 0,
    });
  });

  it('passes a storage through, from the call or the defaults', () => {
    expect(withIndexDefaults(embeddedIndexPolicy, { storage: 'halfvec' })).toEqual({
      ...embeddedIndexPolicy,
      storage: 'halfvec',
    });
    expect(withIndexDefaults({ storage: 'vector' }, {})).toEqual({ storage: 'vector' });
  });

  it('drops default parameters that belong to another index type', () => {
    const defaults = { index: 'ivfflat', indexParams: { lists: 50 } } as const;
    expect(withIndexDefaults(defaults, { index: 'hnsw' })).toEqual({ index: 'hnsw' });
    expect(withIndexDefaults(defaults, {})).toEqual(defaults);
  });
});
