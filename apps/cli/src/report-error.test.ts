import { DjeError } from '@dynamic-embeddings/core';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { oneLine, reportError } from './report-error.js';

describe('reportError', () => {
  it("prints a DjeError as one line with its code, and exits with its kind's code", () => {
    const report = reportError(
      new DjeError({ code: 'DATABASE_LOCKED', kind: 'locked', message: 'in use by another process' }),
    );
    expect(report).toMatchObject({ exitCode: 9, line: 'error [DATABASE_LOCKED]: in use by another process' });
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
    const report = reportError(new DjeError({ code: 'X', kind: 'validation', message: 'a\nb' }));
    expect(report.line).toBe('error [X]: a; b');
  });
});
