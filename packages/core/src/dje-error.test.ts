import { describe, expect, it } from 'vitest';
import { createError, DjeError, type DjeErrorOptions, exitCodeOf, httpStatusOf } from './dje-error.js';

describe('DjeError', () => {
  it('carries a stable code and kind, and maps them to HTTP status and exit code', () => {
    const error = createError({ code: 'NAMESPACE_NOT_FOUND', message: 'no such namespace' });
    expect(DjeError.isInstance(error)).toBe(true);
    expect(httpStatusOf(error)).toBe(404);
    expect(exitCodeOf(error)).toBe(3);
    expect(error.toJSON()).toEqual({ code: 'NAMESPACE_NOT_FOUND', message: 'no such namespace' });
  });

  it('recognises errors by marker, not by prototype, and treats foreign errors as internal', () => {
    const lookalike = Object.assign(new Error('x'), { [Symbol.for('dynamic-embeddings.error')]: true });
    expect(DjeError.isInstance(lookalike)).toBe(true);
    expect(DjeError.isInstance(new Error('plain'))).toBe(false);
    expect(httpStatusOf(new Error('plain'))).toBe(500);
    expect(exitCodeOf('not an error')).toBe(1);
  });

  it('keeps the cause and details; a code from outside the catalog (untyped callers) is internal', () => {
    const cause = new Error('root');
    const error = new DjeError({ code: 'INVALID_FILTER', message: 'm', details: { field: 'a' }, cause });
    expect(error.cause).toBe(cause);
    expect(error.kind).toBe('validation');
    expect(error.toJSON()).toEqual({ code: 'INVALID_FILTER', message: 'm', details: { field: 'a' } });
    const untyped = new DjeError({ code: 'X', message: 'm' } as unknown as DjeErrorOptions);
    expect(untyped.kind).toBe('internal');
    expect(httpStatusOf(untyped)).toBe(500);
  });
});
