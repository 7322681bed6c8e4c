// Hints are surface-specific (a CLI command, an HTTP route), so the apps phrase them from an
// error's code and details; the packages' messages stay surface-neutral.
import type { DjeError } from './dje-error.js';
import type { ErrorCode } from './error-catalog.js';

/** How one surface phrases the hint for each code it has one for; undefined when the details do not allow one. */
export type HintPhrasing = Partial<
  Record<ErrorCode, (details: Readonly<Record<string, unknown>>) => string | undefined>
>;

export function hintFor(error: DjeError, phrasing: HintPhrasing): string | undefined {
  return phrasing[error.code]?.(error.details ?? {});
}

/**
 * The message with the hint appended, unless the message already says it (older messages carry
 * their hint themselves; the check ignores case and the hint's final full stop).
 */
export function withHint(message: string, hint: string | undefined): string {
  if (hint === undefined) return message;
  const phrase = hint.replace(/[.\s]+$/, '').toLowerCase();
  if (message.toLowerCase().includes(phrase)) return message;
  return `${message.replace(/\s+$/, '')} ${hint}`;
}
