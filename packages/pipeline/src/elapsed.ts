/** Milliseconds between two `performance.now()` readings, to 0.1 ms: enough for any report. */
export function elapsed(from: number, to: number = performance.now()): number {
  return Math.round((to - from) * 10) / 10;
}
