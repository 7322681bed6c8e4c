// The text of a float4 — pgvector's element type — that reads back as the same float4: C99's
// hexadecimal form (`0x1.8p-1` for 0.75), which pgvector's vector_in reads with strtof like any
// other number. Hexadecimal is the float4's own bits, so writing it is integer work, and reading it
// needs no decimal-to-binary rounding: PGlite's strtof (musl, in WebAssembly) read a 256-d query
// vector in 0.23–0.27 ms where nine-digit decimals took 0.44–0.54 ms (1,536-d: 0.65–0.73 against
// 1.75–1.80 ms), on every search; PostgreSQL's (glibc) reads both alike (0.10–0.12 ms, 256-d).
//
// Written as bytes into a caller's buffer (writeFloat4Hex): a batch of vectors becomes one string
// decoded at the end, not a small string per element that the garbage collector must sweep (over
// pglite-socket, 10,000 written 256-d vectors made 2.5 million of them).

/** One float4 and its bits: rounds a number to float4 and reads its fields. */
const single = new Float32Array(1);
const singleBits = new Uint32Array(single.buffer);

/** The most bytes one element takes: `-0x0.fffffep-126`. */
export const FLOAT4_HEX_MAX_BYTES = 16;

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
/** The longest power text, `p-126`. */
const POWER_BYTES = 5;
/**
 * By biased exponent (0 for subnormals), `p-126` … `p+127`: its bytes at exponent × POWER_BYTES,
 * its length at exponent. Copied byte by byte: TypedArray.set costs more than five stores.
 */
const POWER_TEXT = new Uint8Array(255 * POWER_BYTES);
const POWER_LENGTH = new Uint8Array(255);
for (let exponent = 0; exponent < 255; exponent++) {
  const power = exponent === 0 ? -126 : exponent - 127;
  const text = power < 0 ? `p${power}` : `p+${power}`;
  POWER_LENGTH[exponent] = text.length;
  for (let index = 0; index < text.length; index++)
    POWER_TEXT[exponent * POWER_BYTES + index] = text.charCodeAt(index);
}
const ZERO = 0x30;
const MINUS = 0x2d;

/**
 * Writes `value` rounded to float4 (as PostgreSQL would read it) at `at` in C99 hexadecimal:
 * `0x1.8p-1`, `-0x1p+3`, `0x1.fffffep+127`, subnormals as `0x0.000002p-126`, zero as `0`; the
 * fraction without trailing zeros. Returns the index after it; `bytes` must have room for
 * FLOAT4_HEX_MAX_BYTES. NaN and ±Infinity must be refused before (assertValidVector).
 */
export function writeFloat4Hex(bytes: Uint8Array, at: number, value: number): number {
  single[0] = value;
  const bits = singleBits[0] as number;
  const exponent = (bits >>> 23) & 0xff;
  // 23 fraction bits, shifted to fill six hex digits.
  let fraction = (bits & 0x7fffff) << 1;
  let end = at;
  if (exponent === 0 && fraction === 0) {
    bytes[end] = ZERO;
    return end + 1;
  }
  if (bits >>> 31 === 1) bytes[end++] = MINUS;
  bytes[end++] = ZERO;
  bytes[end++] = 0x78; // x
  bytes[end++] = exponent === 0 ? ZERO : 0x31;
  if (fraction !== 0) {
    let digits = 6;
    while ((fraction & 0xf) === 0) {
      fraction >>>= 4;
      digits -= 1;
    }
    bytes[end++] = 0x2e; // .
    for (let digit = digits - 1; digit >= 0; digit--) {
      bytes[end + digit] = HEX_DIGITS[fraction & 0xf] as number;
      fraction >>>= 4;
    }
    end += digits;
  }
  const length = POWER_LENGTH[exponent] as number;
  const from = exponent * POWER_BYTES;
  for (let index = 0; index < length; index++) bytes[end + index] = POWER_TEXT[from + index] as number;
  return end + length;
}

const scratch = Buffer.alloc(FLOAT4_HEX_MAX_BYTES);

/** writeFloat4Hex's text as a string. */
export function float4Hex(value: number): string {
  return scratch.toString('latin1', 0, writeFloat4Hex(scratch, 0, value));
}

/** The most bytes writeVectorText takes for a vector of `dimensions` elements. */
export function vectorTextMaxBytes(dimensions: number): number {
  return dimensions * (FLOAT4_HEX_MAX_BYTES + 1) + 2;
}

/**
 * Writes pgvector's text form of `vector` at `at`, `[0x1p+0,0x1p-1,-0x1p+1]` for [1, 0.5, -2]; returns
 * the index after it. `bytes` must have room for vectorTextMaxBytes(vector.length).
 */
export function writeVectorText(bytes: Uint8Array, at: number, vector: ArrayLike<number>): number {
  let end = at;
  bytes[end++] = 0x5b; // [
  for (let index = 0; index < vector.length; index++) {
    if (index > 0) bytes[end++] = 0x2c; // ,
    end = writeFloat4Hex(bytes, end, vector[index] as number);
  }
  bytes[end++] = 0x5d; // ]
  return end;
}
