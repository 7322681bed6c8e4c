// Destructive commands: a prompt on a terminal, a refusal without --force anywhere else, so a
// script can never delete data by accident and a person is always asked.
import { createInterface } from 'node:readline/promises';
import { cancelled, confirmationRequired, createError } from '@dynamic-embeddings/core';
import type { CliIo } from './cli-io.js';

export interface ConfirmOptions {
  readonly io: CliIo;
  readonly force: boolean;
  /** What will happen, e.g. `Drop namespace "old" and its 1,204 embeddings`. */
  readonly action: string;
  readonly signal: AbortSignal;
}

export async function confirmDestructive(options: ConfirmOptions): Promise<void> {
  if (options.force) return;
  const { io } = options;
  if (io.stdin.isTTY !== true || io.stdout.isTTY !== true) {
    throw confirmationRequired(
      `${options.action}? This cannot be undone and there is no terminal to ask: pass --force to confirm. Nothing was changed.`,
    );
  }
  // The prompt goes to stderr so stdout stays clean for --json.
  const prompt = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream });
  let answer: string;
  try {
    answer = await prompt.question(`${options.action}? This cannot be undone. Type "yes" to continue: `, {
      signal: options.signal,
    });
  } catch (error) {
    throw cancelled('Cancelled at the confirmation prompt. Nothing was changed.', { cause: error });
  } finally {
    prompt.close();
  }
  if (!/^(y|yes)$/i.test(answer.trim())) {
    throw createError({
      code: 'CONFIRMATION_DECLINED',
      message: 'Not confirmed. Nothing was changed.',
    });
  }
}
