import { DjeError } from '@dynamic-embeddings/core';
import { describe, expect, it } from 'vitest';
import { buildFilter, parseFilterOption, parseFilterValue } from './build-filter.js';

describe('search filters from the command line', () => {
  it('types values: numbers, booleans, null, quoted strings; everything else stays text', () => {
    expect(parseFilterValue('2')).toBe(2);
    expect(parseFilterValue('-0.5')).toBe(-0.5);
    expect(parseFilterValue('1e3')).toBe(1000);
    expect(parseFilterValue('true')).toBe(true);
    expect(parseFilterValue('false')).toBe(false);
    expect(parseFilterValue('null')).toBe(null);
    expect(parseFilterValue('"42"')).toBe('42');
    expect(parseFilterValue('EU-north')).toBe('EU-north');
    expect(parseFilterValue('2024-09-01')).toBe('2024-09-01');
    expect(parseFilterValue('')).toBe('');
  });

  it('nests dotted keys, so operators and metadata need no JSON', () => {
    expect(parseFilterOption('depth_level.$gte=2')).toEqual({ depth_level: { $gte: 2 } });
    expect(parseFilterOption('metadata.region=EU')).toEqual({ metadata: { region: 'EU' } });
    // Only the first = separates key and value.
    expect(parseFilterOption('path=$.a=b')).toEqual({ path: '$.a=b' });
  });

  it('ANDs every --filter and --where, repeated keys included', () => {
    expect(buildFilter({ filters: [], where: undefined })).toBeUndefined();
    expect(buildFilter({ filters: ['strategy=flat'], where: undefined })).toEqual({ strategy: 'flat' });
    expect(
      buildFilter({ filters: ['depth_level.$gte=1', 'depth_level.$lte=3'], where: '{"is_leaf":true}' }),
    ).toEqual({ $and: [{ depth_level: { $gte: 1 } }, { depth_level: { $lte: 3 } }, { is_leaf: true }] });
  });

  it('rejects malformed options with usage errors that show the right form', () => {
    for (const bad of ['strategy', '=flat', 'a..b=1', 'metadata.=x']) {
      const error = captured(() => parseFilterOption(bad));
      expect(error.code).toBe('INVALID_FILTER_OPTION');
      expect(error.kind).toBe('usage');
      expect(error.message).toMatch(/key=value/);
    }
    expect(captured(() => buildFilter({ filters: [], where: '{"a":' })).code).toBe('INVALID_WHERE');
    expect(captured(() => buildFilter({ filters: [], where: '[1]' })).message).toMatch(
      /JSON object.*an array/,
    );
  });
});

function captured(action: () => unknown): DjeError {
  try {
    action();
  } catch (error) {
    if (DjeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a DjeError');
}
