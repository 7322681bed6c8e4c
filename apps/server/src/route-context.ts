// What every route module receives, and the OpenAPI pieces they share.
import type { NamespaceMigration } from '@dynamic-embeddings/migration';
import type { EmbeddingPipeline } from '@dynamic-embeddings/pipeline';
import type { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.js';
import type { Authorizer } from './authorize.js';
import { errorResponse } from './response-schemas.js';
import type { ServerLimits } from './server-limits.js';
import type { WorkLimiter } from './work-limiter.js';

export interface RouteContext {
  readonly app: OpenAPIHono<AppEnv>;
  readonly pipeline: EmbeddingPipeline;
  readonly migration: NamespaceMigration;
  readonly authorizer: Authorizer;
  /** Bounds concurrent embedding work (document PUT, bulk upload, search by query). */
  readonly embeddingLimiter: WorkLimiter;
  readonly limits: ServerLimits;
}

const errorDescriptions = {
  400: 'Invalid request: VALIDATION_ERROR (details name the field), INVALID_JSON, INVALID_NAMESPACE_NAME, CONFIRMATION_REQUIRED, …',
  401: 'UNAUTHORIZED: missing or invalid API key',
  403: 'FORBIDDEN: the key may not do this (says nothing about whether the namespace exists)',
  404: 'NAMESPACE_NOT_FOUND, COLLECTION_NOT_FOUND or DOCUMENT_NOT_FOUND',
  409: 'Conflict, e.g. NAMESPACE_EXISTS',
  413: 'PAYLOAD_TOO_LARGE: the body (JSON) or one line (NDJSON) is over the limit',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  503: 'SERVER_BUSY (with Retry-After), DATABASE_UNAVAILABLE or SHUTTING_DOWN',
  504: 'REQUEST_TIMEOUT: the work was cancelled',
} as const;

type ErrorStatus = keyof typeof errorDescriptions;

/** OpenAPI entries for the error statuses a route can answer with. */
export function errorResponses(...statuses: ErrorStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: errorDescriptions[status], content: { 'application/json': { schema: errorResponse } } },
    ]),
  ) as Record<
    ErrorStatus,
    { description: string; content: { 'application/json': { schema: typeof errorResponse } } }
  >;
}

/** A JSON response entry. */
export function jsonResponse<Schema extends z.ZodType>(schema: Schema, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A JSON request body entry (required). */
export function jsonBody<Schema extends z.ZodType>(schema: Schema) {
  return { required: true, content: { 'application/json': { schema } } };
}

export const bearerSecurity = [{ bearerAuth: [] }];
