// The decimal text of a float4 — pgvector's element type — that reads back as the same float4.
// A float4 widened to a JS number prints with up to 17 significant digits (String(), join), while
// 9 identify every float4: writing 9 takes under half the time and two thirds of the characters
// (a 1,536-d query vector: ~0.3 ms and 32 kB of text with join, sent and parsed on every search).

/** 10^k for k from -MAX_SCALE to MAX_SCALE: the scales a float4 needs (1.4e-45 to 3.4e38). */
const MAX_SCALE = 60;
const POWERS_OF_TEN = Array.from({ length: 2 * MAX_SCALE + 1 }, (_, index) => 10 ** (index - MAX_SCALE));
const NINE_DIGITS = 1e8;
const LOG10_2 = Math.log10(2);
/** One float4 and its bits: rounds a number to float4 and reads its binary exponent. */
const single = new Float32Array(1);
/** Zeros written out before a fraction's digits or after an integer's, rather than an exponent. */
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000'];
const singleBits = new Uint32Array(single.buffer);

/** round(magnitude × 10^scale), dividing by an exact power of ten where one exists. */
function scaled(magnitude: number, scale: number): number {
  // 10^k is exact for 0 ≤ k ≤ 22, 10^-k never is: divide by the exact 10^k instead of multiplying.
  return Math.round(
    scale < 0
      ? magnitude / (POWERS_OF_TEN[MAX_SCALE - scale] as number)
      : magnitude * (POWERS_OF_TEN[MAX_SCALE + scale] as number),
  );
}

/**
 * `value` rounded to float4 (as PostgreSQL would read it), in at most 9 significant digits and no
 * trailing zeros: `0.0123456789`, `0.5`, `-2`, with an exponent only far from 1 (`123456789e-17`).
 * Nine digits leave at most 1.5 units of the ninth digit of error even when the scaling product is
 * off by one ulp, below half the gap between neighbouring float4s (≥ 3e-8 relative), so the
 * server's strtof returns this float4 exactly. Positional rather than `123456789e-10`: musl's
 * strtof (PGlite) reads an exponent form about 12% slower. NaN and ±Infinity must be refused
 * before (assertValidVector).
 */
export function float4Text(value: number): string {
  single[0] = value;
  const rounded = single[0] as number;
  if (rounded === 0) return '0';
  const magnitude = rounded < 0 ? -rounded : rounded;
  // The decimal exponent from the binary one: at most a step off (more for subnormals), which
  // the loops correct, keeping the mantissa at exactly nine digits.
  let exponent = Math.floor(((((singleBits[0] as number) >>> 23) & 255) - 127) * LOG10_2);
  let mantissa = scaled(magnitude, 8 - exponent);
  while (mantissa >= 10 * NINE_DIGITS) mantissa = scaled(magnitude, 8 - ++exponent);
  while (mantissa < NINE_DIGITS) mantissa = scaled(magnitude, 8 - --exponent);
  exponent -= 8;
  while (mantissa % 10 === 0) {
    mantissa /= 10;
    exponent += 1;
  }
  const sign = rounded < 0 ? '-' : '';
  const digits = String(mantissa);
  /** How many of the digits come before the decimal point. */
  const point = digits.length + exponent;
  if (exponent >= 0 && exponent < ZEROS.length) return sign + digits + ZEROS[exponent];
  if (exponent < 0 && point > 0) return `${sign + digits.slice(0, point)}.${digits.slice(point)}`;
  if (exponent < 0 && -point < ZEROS.length) return `${sign}0.${ZEROS[-point]}${digits}`;
  return `${sign + digits}e${exponent}`;
}
