// Calibration's probe queries: which vectors stand in for the queries a namespace has not seen
// (two kinds, made from its own rows), and how their recall is scored against a target.
import { sql } from 'drizzle-orm';
import type { Database } from './database.js';
import { parseVector } from './embedding-vector.js';
import { tableByName } from './namespace-table.js';
import type { Neighbour } from './nearest-of-each.js';
import type { NamespaceRecord } from './registry-types.js';

/**
 * The two kinds of probe, both made from stored rows and neither a row itself. `between`: the
 * direction halfway between two stored vectors. `near`: a stored vector moved, in a pseudo-random
 * direction, as far as its nearest other row lies from it.
 */
export type ProbeKind = 'between' | 'near';

/** A probe: no stored row, so nothing is left out of its answer. */
export interface SampledQuery {
  readonly kind: ProbeKind;
  readonly vector: number[];
}

/** The nearest rows (at least two, nearest first) of each vector, by any search. */
export type NearestRows = (vectors: readonly number[][]) => Promise<Neighbour[][]>;

function normalised(vector: readonly number[]): number[] {
  let squares = 0;
  for (const value of vector) squares += value * value;
  const norm = Math.sqrt(squares);
  return norm === 0 ? [...vector] : vector.map((value) => value / norm);
}

/** The normalised sum of two vectors: the direction halfway between them. */
function midpoint(a: readonly number[], b: readonly number[]): number[] {
  return normalised(a.map((value, index) => value + (b[index] ?? 0)));
}

/** 32-bit FNV-1a of a string: a seed that depends only on the row. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A unit direction orthogonal to `row`, its components Gaussian from a seed (mulberry32 and
 * Box–Muller: a few lines where a library would be a dependency of the db package for one loop),
 * so a row's probe is the same in every calibration.
 */
function gaussianDirection(row: readonly number[], seed: number): number[] {
  let state = seed;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return (((mixed ^ (mixed >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const direction = row.map(() => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
  let along = 0;
  for (const [index, value] of direction.entries()) along += value * (row[index] ?? 0);
  return normalised(direction.map((value, index) => value - along * (row[index] ?? 0)));
}

/**
 * `row` turned by the angle whose cosine distance is `distance`, towards a pseudo-random direction:
 * a point as far from its row as the row's nearest other row is, in no row's place.
 */
function nearProbe(row: readonly number[], options: { readonly distance: number; readonly seed: number }) {
  const cosine = Math.min(1, Math.max(1e-3, 1 - options.distance));
  const tangent = Math.sqrt(1 - cosine * cosine) / cosine;
  const direction = gaussianDirection(row, options.seed);
  return normalised(row.map((value, index) => value + tangent * (direction[index] ?? 0)));
}

/** Distances this close count as equal: the same stored vector read back, rounding aside. */
export const TIE_DISTANCE = 1e-6;

/**
 * Each row's cosine distance to its nearest other row, duplicates skipped; a row with none found
 * takes the median of the others' (a table of duplicates only: 0, the row itself).
 */
async function nearestOtherDistances(
  rows: readonly { readonly chunk_id: string; readonly vector: number[] }[],
  nearest: NearestRows,
): Promise<number[]> {
  const found = await nearest(rows.map((row) => row.vector));
  const distances = rows.map(
    (row, index) =>
      found[index]?.find((near) => near.chunk_id !== row.chunk_id && near.distance > TIE_DISTANCE)?.distance,
  );
  const known = distances
    .filter((distance): distance is number => distance !== undefined)
    .sort((a, b) => a - b);
  const median = known[Math.floor(known.length / 2)] ?? 0;
  return distances.map((distance) => distance ?? median);
}

/**
 * Probe queries from the namespace's own data, half of each kind (rows chosen pseudo-randomly by
 * hash, the same in every run): neither kind stands in for real queries on every data set, so
 * calibration asks each to meet its target (kindTarget) and takes the larger setting.
 *
 * Stored vectors themselves are too easy: each is a node of the HNSW graph, whose edges lead
 * straight to its neighbours. An ingest of 12,026 local-provider chunks calibrated ef_search 16 on
 * them and then answered new queries with recall 0.47–0.69; on 3,000 rows of a 128-d Gaussian
 * mixture (PGlite) they scored 0.995 at ef_search 16 where new draws of the mixture scored 0.85.
 *
 * `between` serves text: a midpoint lies as far from its nearest rows as a text query does (cosine
 * √((1 + c) / 2) to both, for rows at cosine c); on those chunks text queries had recall@10 0.58 /
 * 0.82 / 0.95 at ef_search 40 / 320 / 1,000, midpoints 0.48 / 0.59 / 0.77.
 *
 * `near` serves clustered data whose queries are new draws of the clusters, where midpoints (of
 * rows in two clusters, their neighbours two reachable groups) are far too easy. bench:search
 * (50,000 × 1536-d, PostgreSQL, 100 probes each) at ef_search 80 / 160 / 224 / 320: its queries
 * 0.917 / 0.936 / 0.951 / 0.970, midpoints 0.976 / 0.994 / 0.994 / 0.998, near probes 0.922 /
 * 0.945 / 0.962 / 0.974. On the 128-d mixture at ef_search 16 / 32 / 56: new draws 0.85 / 0.92 /
 * 0.97, near probes 0.87 / 0.94 / 0.98, midpoints 0.98 / 0.99 / 1.0. Calibrated on midpoints only,
 * the bench table searched at ef_search 160 (recall 0.936–0.940). The direction must be random:
 * moved towards another row instead, near probes were as easy as midpoints.
 */
export async function sampleQueries(
  db: Database,
  options: {
    readonly record: NamespaceRecord;
    readonly count: number;
    readonly nearest: NearestRows;
  },
): Promise<SampledQuery[]> {
  const { record } = options;
  const table = tableByName(record.table_name, record);
  const stored = await db.orm
    .select({ chunk_id: table.chunk_id, embedding: table.embedding })
    .from(table)
    .orderBy(sql`md5(${table.chunk_id})`)
    .limit(options.count + 1);
  if (stored.length === 0) return [];
  // No more probes than rows: a small table's probes would repeat.
  const count = Math.min(options.count, stored.length);
  const betweenCount = Math.ceil(count / 2);
  const rows = stored.map((row) => ({ chunk_id: row.chunk_id, vector: parseVector(row.embedding) }));
  // Midpoints pair rows i and i + 1, near probes start from the rows after those pairs; both wrap
  // round when the table holds fewer rows than the probes need (one row: its midpoint is itself).
  const rowAt = (index: number) => rows[index % rows.length]!;
  const between = Array.from({ length: betweenCount }, (_, index) => ({
    kind: 'between' as const,
    vector: midpoint(rowAt(index).vector, rowAt(index + 1).vector),
  }));
  const origins = Array.from({ length: count - betweenCount }, (_, index) => rowAt(betweenCount + 1 + index));
  const distances = await nearestOtherDistances(origins, options.nearest);
  const near = origins.map((row, index) => ({
    kind: 'near' as const,
    vector: nearProbe(row.vector, { distance: distances[index] ?? 0, seed: fnv1a(row.chunk_id) }),
  }));
  return [...between, ...near];
}

/** The recall each kind of probe must reach: see probeTarget for the midpoints' margin. */
export function kindTarget(kind: ProbeKind, target: number): number {
  return kind === 'between' ? probeTarget(target) : target;
}

/** The positions of `queries` by kind, in the order the kinds appear. */
export function positionsByKind(queries: readonly SampledQuery[]): Map<ProbeKind, number[]> {
  const byKind = new Map<ProbeKind, number[]>();
  for (const [position, query] of queries.entries()) {
    const positions = byKind.get(query.kind) ?? [];
    positions.push(position);
    byKind.set(query.kind, positions);
  }
  return byKind;
}

/**
 * Mean recall over `probes` probes, each missing `missOf(position)` of its true neighbours (0 to 1).
 * The mean meets `target` only while the misses stay within (1 - target) × probes; with `stopEarly`
 * the probes stop as soon as they exceed that, and the result is undefined (the step failed).
 */
export async function probeRecall(options: {
  readonly probes: number;
  readonly target: number;
  readonly stopEarly: boolean;
  readonly missOf: (position: number) => Promise<number>;
}): Promise<number | undefined> {
  const { probes } = options;
  const allowed = (1 - options.target) * probes + 1e-9;
  let missed = 0;
  for (let position = 0; position < probes; position++) {
    missed += await options.missOf(position);
    if (options.stopEarly && missed > allowed) return undefined;
  }
  return probes === 0 ? 1 : 1 - missed / probes;
}

/** What one step measured: the recall reported for it and whether it meets the target. */
export interface StepRecall {
  readonly recall: number;
  readonly meets: boolean;
}

/**
 * The recall the probes must reach for a namespace's target: halfway from the target to 1 (0.975
 * for 0.95), so the probes may miss half of what the target allows. Probes stand in for queries
 * the namespace has not seen, and on some data they are easier than those: on 50,000 × 1536-d
 * Gaussian vectors bench:search measured 0.922 for its queries at the ef_search 112 whose probe
 * recall was 0.974 (target 0.95, one step of margin already taken).
 */
export function probeTarget(target: number): number {
  return Math.min(1, target + (1 - target) / 2);
}

/**
 * Each kind's recall at one step against its target (kindTarget): the step meets the target when
 * every kind does, and reports the lowest kind's recall. With `stopEarly` a kind that cannot meet
 * its target ends the round (undefined).
 */
export async function recallOfKinds(options: {
  readonly byKind: ReadonlyMap<ProbeKind, readonly number[]>;
  readonly target: number;
  readonly stopEarly: boolean;
  readonly missOf: (position: number) => Promise<number>;
}): Promise<StepRecall | undefined> {
  let recall = 1;
  let meets = true;
  for (const [kind, positions] of options.byKind) {
    const target = kindTarget(kind, options.target);
    const measured = await probeRecall({
      probes: positions.length,
      target,
      stopEarly: options.stopEarly,
      missOf: (index) => options.missOf(positions[index]!),
    });
    if (measured === undefined) return undefined;
    recall = Math.min(recall, measured);
    meets &&= measured >= target;
  }
  return { recall, meets };
}
