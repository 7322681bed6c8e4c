// Test helper: one in-memory PGlite shared by every suite that needs no database of its own.
// Starting PGlite costs seconds, far more than the tests using it; suites keep apart by using
// their own namespaces. Shared across files because the project runs with `isolate: false`.
import { connect, type Database } from '@dynamic-embeddings/db';

let shared: Promise<Database> | undefined;

export function sharedDatabase(): Promise<Database> {
  shared ??= connect('memory://');
  return shared;
}
