// Deterministic random numbers for test and benchmark data, so every system and every run sees the
// same vectors.

/** A source of uniform numbers in [0, 1) and standard normal numbers, fully determined by its seed. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, variance 1). */
  gaussian(): number;
  /** Uniform integer in [0, bound). */
  integer(bound: number): number;
}

/**
 * Mulberry32 (a 32-bit state generator, public domain): fast, small and good enough for test data;
 * not for anything that needs unpredictability. Gaussians come from the Box–Muller transform, which
 * yields two values per pair of uniforms; the second is kept for the next call.
 */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  let spareGaussian: number | undefined;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    gaussian() {
      if (spareGaussian !== undefined) {
        const value = spareGaussian;
        spareGaussian = undefined;
        return value;
      }
      // 1 - next() is in (0, 1], so the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spareGaussian = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    integer(bound: number) {
      return Math.floor(next() * bound);
    },
  };
}
