// The text of a float4 — pgvector's element type — that reads back as the same float4: C99's
// hexadecimal form (`0x1.8p-1` for 0.75), which pgvector's vector_in reads with strtof like any
// other number. Hexadecimal is the float4's own bits, so writing it is integer work, and reading it
// needs no decimal-to-binary rounding: PGlite's strtof (musl, in WebAssembly) read a 256-d query
// vector in 0.23–0.27 ms where nine-digit decimals took 0.44–0.54 ms (1,536-d: 0.65–0.73 against
// 1.75–1.80 ms), on every search; PostgreSQL's (glibc) reads both alike (0.10–0.12 ms, 256-d).

/** One float4 and its bits: rounds a number to float4 and reads its fields. */
const single = new Float32Array(1);
const singleBits = new Uint32Array(single.buffer);

/**
 * `value` rounded to float4 (as PostgreSQL would read it), in C99 hexadecimal: `0x1.8p-1`,
 * `-0x1p+3`, `0x1.fffffep+127`, subnormals as `0x0.000002p-126`, zero as `0`; the fraction without
 * trailing zeros. NaN and ±Infinity must be refused before (assertValidVector).
 */
export function float4Hex(value: number): string {
  single[0] = value;
  const bits = singleBits[0] as number;
  const exponent = (bits >>> 23) & 0xff;
  // 23 fraction bits, shifted to fill six hex digits.
  let fraction = (bits & 0x7fffff) << 1;
  if (exponent === 0 && fraction === 0) return '0';
  const sign = bits >>> 31 === 1 ? '-' : '';
  const lead = exponent === 0 ? '0x0' : '0x1';
  const power = exponent === 0 ? -126 : exponent - 127;
  const scale = power < 0 ? `p${power}` : `p+${power}`;
  if (fraction === 0) return sign + lead + scale;
  let digits = 6;
  while ((fraction & 0xf) === 0) {
    fraction >>>= 4;
    digits -= 1;
  }
  return `${sign}${lead}.${fraction.toString(16).padStart(digits, '0')}${scale}`;
}
