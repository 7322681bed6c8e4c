// Feature checks against the installed pgvector version (the package supports 0.7 and later).

/** Whether `version` (e.g. `0.8.1`) is at least `minimum` (e.g. `0.8`). */
export function pgvectorAtLeast(version: string, minimum: string): boolean {
  const actual = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const wanted = minimum.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let index = 0; index < Math.max(actual.length, wanted.length); index++) {
    const difference = (actual[index] ?? 0) - (wanted[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/** `hnsw.iterative_scan` and `ivfflat.iterative_scan` arrived in pgvector 0.8.0. */
export function supportsIterativeScan(version: string): boolean {
  return pgvectorAtLeast(version, '0.8');
}
