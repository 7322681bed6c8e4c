import { DjeError, databaseUnavailable, httpStatusOf } from '@dynamic-embeddings/core';
import { migrationResultFailed } from '@dynamic-embeddings/migration';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.js';

describe('HttpError.answering', () => {
  it('keeps the factory-built code, message, details and cause and takes the status of its kind', () => {
    const cause = new Error('connection refused');
    const built = databaseUnavailable('The database does not answer.', { cause, details: { tries: 3 } });
    const answered = HttpError.answering(built, { headers: { 'Retry-After': '5' } });
    expect(answered).toBeInstanceOf(HttpError);
    expect(DjeError.isInstance(answered)).toBe(true);
    expect(answered.toJSON()).toEqual(built.toJSON());
    expect(answered.cause).toBe(cause);
    expect(answered.status).toBe(httpStatusOf(built));
    expect(answered.status).toBe(503);
    expect(answered.headers).toEqual({ 'Retry-After': '5' });
  });

  it('answers with an explicit status when one is given (a failed migration is a documented 500)', () => {
    const result = {
      success: false,
      source: 'alpha',
      target: 'beta',
      mode: 'copy' as const,
      rows_migrated: 0,
      duration_seconds: 0.1,
      source_action: 'none',
      checksum: '',
      error: { code: 'MIGRATION_FAILED', message: 'disk full' },
    };
    const answered = HttpError.answering(migrationResultFailed(result), { status: 500 });
    expect(answered.status).toBe(500);
    expect(answered.code).toBe('MIGRATION_FAILED');
    expect(answered.message).toBe(
      'The migration from "alpha" to "beta" failed and was rolled back: disk full',
    );
    expect(answered.details).toEqual({ result });
    expect(answered.headers).toEqual({});
  });
});
