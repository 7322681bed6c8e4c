import { createError, DjeError } from '@dynamic-embeddings/core';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { oneLine, reportError } from './report-error.js';

describe('reportError', () => {
  it("prints a DjeError as one line with its code, and exits with its kind's code", () => {
    const report = reportError(
      createError({ code: 'DATABASE_LOCKED', message: 'in use by another process' }),
    );
    expect(report).toMatchObject({ exitCode: 9, line: 'error [DATABASE_LOCKED]: in use by another process' });
  });

  it('adds the CLI hint for the code, unless the message already carries it', () => {
    const neutral = reportError(
      createError({
        code: 'NAMESPACE_NOT_FOUND',
        message: 'Namespace "shop" does not exist.',
        details: { namespace: 'shop' },
      }),
    );
    expect(neutral.line).toBe(
      'error [NAMESPACE_NOT_FOUND]: Namespace "shop" does not exist. List namespaces with `dje namespace list`, or create it with `dje namespace create shop` (ingesting into it also creates it).',
    );
    const withHintAlready = reportError(
      createError({
        code: 'CONFIRMATION_REQUIRED',
        message: 'Dropping it deletes data: pass --force to confirm.',
      }),
    );
    expect(withHintAlready.line).toBe(
      'error [CONFIRMATION_REQUIRED]: Dropping it deletes data: pass --force to confirm.',
    );
    const unconfirmed = reportError(
      createError({ code: 'CONFIRMATION_REQUIRED', message: 'Dropping it deletes data.' }),
    );
    expect(unconfirmed.line).toBe(
      'error [CONFIRMATION_REQUIRED]: Dropping it deletes data. Pass --force to confirm.',
    );
  });

  it('turns commander errors into usage errors (exit 2) with SCREAMING_SNAKE codes', () => {
    const report = reportError(
      new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"),
    );
    expect(report).toMatchObject({
      exitCode: 2,
      line: "error [UNKNOWN_OPTION]: unknown option '--x' (see --help)",
    });
    expect(reportError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toMatchObject({
      exitCode: 0,
      line: '',
    });
  });

  it('reports anything else as an internal error (exit 1) that asks for --verbose, keeping causes in the stack', () => {
    const error = new TypeError('x is undefined', { cause: new Error('root cause') });
    const report = reportError(error);
    expect(report.exitCode).toBe(1);
    expect(report.line).toMatch(/^error \[INTERNAL\]: x is undefined .*--verbose/);
    expect(report.stack).toMatch(/caused by: Error: root cause/);
  });

  it('keeps every error on one line, whatever the message', () => {
    expect(
      oneLine(
        'Invalid chunking config:\n  thresholds: expected object\n  weights: unknown key\nFix these fields.',
      ),
    ).toBe('Invalid chunking config: thresholds: expected object; weights: unknown key; Fix these fields.');
    const report = reportError(new DjeError({ code: 'INVALID_INPUT', message: 'a\nb' }));
    expect(report.line).toBe('error [INVALID_INPUT]: a; b');
  });
});
