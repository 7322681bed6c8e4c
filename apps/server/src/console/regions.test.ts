import { describe, expect, it } from 'vitest';
import { createRegionLookup, formatPath } from './regions.js';

describe('formatPath', () => {
  it('writes paths as the chunker does', () => {
    expect(formatPath([])).toBe('$');
    expect(formatPath(['campaigns', 0, 'targeting'])).toBe('$.campaigns[0].targeting');
    expect(formatPath(['key with space', 'ok_1'])).toBe('$["key with space"].ok_1');
  });
});

describe('createRegionLookup', () => {
  const owner = createRegionLookup([
    '$',
    '$.campaigns[0:2]',
    '$.campaigns[2:3]',
    '$.campaigns[0].targeting',
    null,
  ]);

  it('gives a node to the deepest chunk covering it', () => {
    expect(owner('$')).toBe(0);
    expect(owner('$.name')).toBe(0);
    expect(owner('$.campaigns')).toBe(0);
    expect(owner('$.campaigns[1].budget')).toBe(1);
    expect(owner('$.campaigns[2]')).toBe(2);
    expect(owner('$.campaigns[0].targeting.countries[0]')).toBe(3);
  });

  it('matches keys at segment boundaries only, and slices by element index', () => {
    const lookup = createRegionLookup(['$.camp', '$.list[10:20]']);
    expect(lookup('$.campaigns')).toBeUndefined();
    expect(lookup('$.camp.x')).toBe(0);
    expect(lookup('$.list[9]')).toBeUndefined();
    expect(lookup('$.list[10]')).toBe(1);
    expect(lookup('$.list[19].a')).toBe(1);
    expect(lookup('$.list[20]')).toBeUndefined();
    expect(lookup('$.list')).toBeUndefined();
  });
});
