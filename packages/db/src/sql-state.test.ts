import { DjeError } from '@dynamic-embeddings/core';
import { describe, expect, it } from 'vitest';
import { sqlStateOf } from './sql-state.js';

function withCode(message: string, code: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

describe('sqlStateOf', () => {
  it('finds the SQLSTATE on the error or down its cause chain', () => {
    expect(sqlStateOf(withCode('disk full', '53100'))).toBe('53100');
    expect(sqlStateOf(new Error('Failed query: CREATE INDEX …', { cause: withCode('oom', '53200') }))).toBe(
      '53200',
    );
  });

  it('ignores codes that are not SQLSTATEs, and non-errors', () => {
    const wrapped = new DjeError({ code: 'MIGRATION_FAILED', message: 'x' });
    expect(sqlStateOf(wrapped)).toBeUndefined();
    expect(sqlStateOf(withCode('closed', 'CONNECTION_CLOSED'))).toBeUndefined();
    expect(sqlStateOf('53100')).toBeUndefined();
    expect(sqlStateOf(undefined)).toBeUndefined();
  });
});
