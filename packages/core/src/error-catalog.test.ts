import { describe, expect, it } from 'vitest';
import { createError, DjeError, exitCodeOf, httpStatusOf } from './dje-error.js';
import { type ErrorCode, errorCatalog, isErrorCode } from './error-catalog.js';
import { exitCodes, httpStatuses } from './error-kind.js';

const codes = Object.keys(errorCatalog) as ErrorCode[];

describe('errorCatalog', () => {
  it('maps every code to a kind, an HTTP status and an exit code', () => {
    expect(codes.length).toBeGreaterThan(80);
    for (const code of codes) {
      const error = createError({ code, message: code });
      expect(error.kind, code).toBe(errorCatalog[code]);
      expect(Object.keys(httpStatuses), code).toContain(error.kind);
      expect(httpStatusOf(error), code).toBeGreaterThanOrEqual(400);
      expect(exitCodeOf(error), code).toBeGreaterThan(0);
    }
  });

  it('names codes in SCREAMING_SNAKE_CASE', () => {
    for (const code of codes) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it('gives the kind from the code, not from the caller', () => {
    expect(createError({ code: 'NAMESPACE_NOT_FOUND', message: 'm' }).kind).toBe('not_found');
    expect(exitCodeOf(createError({ code: 'CONFIRMATION_REQUIRED', message: 'm' }))).toBe(
      exitCodes.confirmation_required,
    );
    expect(new DjeError({ code: 'DATABASE_LOCKED', message: 'm' }).kind).toBe('locked');
  });

  it('rejects codes outside the catalog at compile time and tells them apart at run time', () => {
    // @ts-expect-error NO_SUCH_CODE is not in the catalog
    createError({ code: 'NO_SUCH_CODE', message: 'm' });
    // @ts-expect-error the constructor takes catalogued codes only
    new DjeError({ code: 'NO_SUCH_CODE', message: 'm' });
    expect(isErrorCode('NAMESPACE_NOT_FOUND')).toBe(true);
    expect(isErrorCode('NO_SUCH_CODE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });
});
