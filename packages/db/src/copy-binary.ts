// Encodes rows in PostgreSQL's binary COPY format, the fastest way to load vectors: no text
// formatting of thousands of floats per row, and no parameter limit per statement.
// Format: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
import os from 'node:os';

/** Column types the encoder writes; each maps to one PostgreSQL type's binary `recv` format. */
export type CopyColumnType = 'text' | 'int4' | 'float8' | 'bool' | 'text[]' | 'jsonb' | 'vector' | 'halfvec';

export interface CopyColumn {
  readonly name: string;
  readonly type: CopyColumnType;
}

/** A row's values in column order; `null` or `undefined` is SQL NULL. */
export type CopyRow = readonly unknown[];

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const TEXT_OID = 25;
const JSONB_VERSION = 1;
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** A growable byte buffer: rows are appended without knowing the total size in advance. */
class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(initialSize: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(1024, initialSize));
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  int16(value: number): void {
    this.reserve(2);
    this.length = this.buffer.writeInt16BE(value, this.length);
  }

  int32(value: number): void {
    this.reserve(4);
    this.length = this.buffer.writeInt32BE(value, this.length);
  }

  float64(value: number): void {
    this.reserve(8);
    this.length = this.buffer.writeDoubleBE(value, this.length);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length] = value;
    this.length += 1;
  }

  /**
   * Writes float4 values big-endian. Copying the native bytes and swapping them in place is several
   * times faster than one writeFloatBE call per element, which matters at 1536 floats per row.
   */
  float32Array(values: ArrayLike<number>): void {
    const byteLength = values.length * 4;
    this.reserve(byteLength);
    const floats = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    const target = this.buffer.subarray(this.length, this.length + byteLength);
    Buffer.from(floats.buffer, floats.byteOffset, byteLength).copy(target);
    if (LITTLE_ENDIAN) target.swap32();
    this.length += byteLength;
  }

  /** Writes values as IEEE 754 binary16, big-endian (see float16Bits). */
  float16Array(values: ArrayLike<number>): void {
    this.reserve(values.length * 2);
    for (let index = 0; index < values.length; index++) {
      this.length = this.buffer.writeUInt16BE(float16Bits(values[index] as number), this.length);
    }
  }

  bytes(value: Buffer): void {
    this.reserve(value.length);
    value.copy(this.buffer, this.length);
    this.length += value.length;
  }

  /** Writes UTF-8 text and returns its byte length. */
  utf8(value: string): number {
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.reserve(byteLength);
    this.buffer.write(value, this.length, byteLength, 'utf8');
    this.length += byteLength;
    return byteLength;
  }

  /** Reserves a 4-byte length slot to fill in once the field's size is known. */
  placeholder(): number {
    this.reserve(4);
    const at = this.length;
    this.length += 4;
    return at;
  }

  fillLength(at: number): void {
    this.buffer.writeInt32BE(this.length - at - 4, at);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.length;
  }

  result(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

const float32 = new Float32Array(1);
const float32Bits = new Uint32Array(float32.buffer);

/**
 * The binary16 bits of a number, rounded to nearest, ties to even, as pgvector converts float4 to
 * half (so COPY stores the same values as a `::halfvec` cast of the text form). Magnitudes beyond
 * 65,504 become infinity, which pgvector refuses: callers validate the range first.
 */
export function float16Bits(value: number): number {
  float32[0] = value;
  const bits = float32Bits[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const halfExponent = exponent - 112;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent >= 1) {
    // A rounding carry out of the mantissa correctly moves into the exponent.
    return sign | roundShifted((halfExponent << 23) | mantissa, 13);
  }
  // Subnormal half: the significand with its implicit 1, shifted into the 10-bit field.
  const shift = 126 - exponent;
  if (shift > 24) return sign;
  return sign | roundShifted(mantissa | 0x800000, shift);
}

/** `value >> shift`, rounded to nearest, ties to even. */
function roundShifted(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

function writeTextArray(writer: ByteWriter, values: readonly string[]): void {
  // One-dimensional array: ndim, has-nulls flag, element type, then (length, lower bound 1).
  writer.int32(values.length === 0 ? 0 : 1);
  writer.int32(0);
  writer.int32(TEXT_OID);
  if (values.length > 0) {
    writer.int32(values.length);
    writer.int32(1);
  }
  for (const value of values) {
    const at = writer.placeholder();
    writer.utf8(value);
    writer.fillLength(at);
  }
}

function writeVector(writer: ByteWriter, values: ArrayLike<number>, half: boolean): void {
  // pgvector's vector_recv and halfvec_recv: int16 dimensions, int16 unused (0), then the elements
  // big-endian, float4 or (halfvec) binary16.
  writer.int16(values.length);
  writer.int16(0);
  if (half) writer.float16Array(values);
  else writer.float32Array(values);
}

function writeField(writer: ByteWriter, type: CopyColumnType, value: unknown): void {
  if (value === null || value === undefined) {
    writer.int32(-1);
    return;
  }
  const at = writer.placeholder();
  switch (type) {
    case 'text':
      writer.utf8(value as string);
      break;
    case 'int4':
      writer.int32(value as number);
      break;
    case 'float8':
      writer.float64(value as number);
      break;
    case 'bool':
      writer.byte(value ? 1 : 0);
      break;
    case 'text[]':
      writeTextArray(writer, value as readonly string[]);
      break;
    case 'jsonb':
      writer.byte(JSONB_VERSION);
      writer.utf8(JSON.stringify(value));
      break;
    case 'vector':
    case 'halfvec':
      writeVector(writer, value as ArrayLike<number>, type === 'halfvec');
      break;
  }
  writer.fillLength(at);
}

function writeRow(writer: ByteWriter, columns: readonly CopyColumn[], row: CopyRow): void {
  writer.int16(columns.length);
  for (let index = 0; index < columns.length; index++) {
    writeField(writer, (columns[index] as CopyColumn).type, row[index]);
  }
}

/**
 * Encodes `rows` as a binary COPY stream (header, tuples, trailer) for
 * `COPY table (columns…) FROM … (FORMAT binary)`, in parts of about `partBytes` each, encoded only
 * as they are taken: a server can process the first part while later rows are still being encoded.
 * Values must already be valid for their type.
 */
export function* encodeCopyBinaryParts(options: {
  readonly columns: readonly CopyColumn[];
  readonly rows: readonly CopyRow[];
  readonly partBytes: number;
}): Generator<Uint8Array, void, undefined> {
  const { columns, rows, partBytes } = options;
  const vectorColumn = columns.findIndex((column) => column.type === 'vector' || column.type === 'halfvec');
  const firstVector =
    vectorColumn >= 0 ? (rows[0]?.[vectorColumn] as ArrayLike<number> | undefined) : undefined;
  const estimatedRowBytes = 64 * columns.length + 4 * (firstVector?.length ?? 0);
  const partSize = () =>
    SIGNATURE.length + 8 + Math.min(partBytes, rows.length * estimatedRowBytes) + estimatedRowBytes;
  let writer = new ByteWriter(partSize());
  writer.bytes(SIGNATURE);
  writer.int32(0); // flags: no OIDs
  writer.int32(0); // header extension length
  for (const row of rows) {
    writeRow(writer, columns, row);
    if (writer.size >= partBytes) {
      yield writer.result();
      writer = new ByteWriter(partSize());
    }
  }
  writer.int16(-1);
  yield writer.result();
}

/** The whole binary COPY stream of `rows` in one buffer (see encodeCopyBinaryParts). */
export function encodeCopyBinary(options: {
  readonly columns: readonly CopyColumn[];
  readonly rows: readonly CopyRow[];
}): Uint8Array {
  const [only, ...more] = encodeCopyBinaryParts({ ...options, partBytes: Number.POSITIVE_INFINITY });
  if (only === undefined || more.length > 0) throw new Error('encodeCopyBinary: expected one part');
  return only;
}
