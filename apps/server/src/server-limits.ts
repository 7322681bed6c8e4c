// Request limits of the HTTP API: every one has a safe default and can be tightened or loosened.
import { createError } from '@dynamic-embeddings/core';
import { z } from 'zod';

export interface ServerLimits {
  /** Largest JSON request body in bytes (default 10 MiB); larger → 413 PAYLOAD_TOO_LARGE. */
  readonly jsonBodyBytes: number;
  /** Longest line of an NDJSON bulk upload in bytes (default 1 MiB); the body as a whole is streamed. */
  readonly ndjsonLineBytes: number;
  /** Time for a request to be answered (default 30 s); longer → 504 REQUEST_TIMEOUT and its work is cancelled. */
  readonly requestTimeoutMs: number;
  /** The same for bulk uploads and migrations, which legitimately run long (default 10 min). */
  readonly longRequestTimeoutMs: number;
  /** Requests doing embedding work (document PUT, bulk upload, search by query) at once (default 4). */
  readonly embeddingConcurrency: number;
  /** Requests allowed to wait for an embedding slot (default 64); beyond that → 503 SERVER_BUSY. */
  readonly embeddingQueue: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  jsonBodyBytes: 10 * 1024 * 1024,
  ndjsonLineBytes: 1024 * 1024,
  requestTimeoutMs: 30_000,
  longRequestTimeoutMs: 600_000,
  embeddingConcurrency: 4,
  embeddingQueue: 64,
};

const positive = z.number().int().positive();
const limitsSchema = z.strictObject({
  jsonBodyBytes: positive.optional(),
  ndjsonLineBytes: positive.optional(),
  requestTimeoutMs: positive.optional(),
  longRequestTimeoutMs: positive.optional(),
  embeddingConcurrency: positive.optional(),
  embeddingQueue: z.number().int().nonnegative().optional(),
});

/** Fills in defaults; an unknown or invalid limit is an INVALID_LIMITS startup error. */
export function resolveLimits(limits: Partial<ServerLimits> = {}): ServerLimits {
  const parsed = limitsSchema.safeParse(limits);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    throw createError({
      code: 'INVALID_LIMITS',
      message: `Invalid server limit ${field}: ${issue?.message ?? 'invalid value'}. Limits are whole numbers (bytes, milliseconds or request counts).`,
      details: { field },
    });
  }
  const defined = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_LIMITS, ...defined };
}
