// Synthetic search data: clustered unit vectors spread over collections of skewed sizes, generated
// from a seed so every system in a run (and every rerun) searches exactly the same vectors.
import { createSeededRandom, type SeededRandom } from '@dynamic-embeddings/testing';

/**
 * Share of the rows in each collection, largest first. The last holds 1%: filtering to it is the
 * selective case where a plain HNSW scan runs out of candidates before it finds 10 matches.
 */
export const COLLECTION_SHARES: readonly number[] = [0.3, 0.2, 0.14, 0.1, 0.08, 0.06, 0.05, 0.04, 0.02, 0.01];

export interface DatasetOptions {
  readonly rows: number;
  readonly dimensions: number;
  /** Query vectors, drawn from the same mixture but not stored. */
  readonly queries: number;
  readonly seed?: number;
  /**
   * Mixture components (default rows / 10, at least 2). About ten rows per component puts a
   * query's ten nearest rows in several neighbouring components, as with real embeddings, rather
   * than in one well-separated blob any index finds trivially.
   */
  readonly clusters?: number;
  /**
   * Directions each component varies along (default 64, at most `dimensions`). Real embeddings
   * vary along far fewer directions than they have dimensions; isotropic noise in every dimension
   * would make all neighbours almost equally far and the "true top 10" a coin toss.
   */
  readonly intrinsicDimensions?: number;
  /**
   * `mixture` (default): equal-weight components, isotropic within their directions. `skewed`: data
   * unlike the fixtures — component sizes follow a Zipf law (a few huge clusters, many tiny ones),
   * each component's spread decays along its directions (anisotropic), and each vector's offset is
   * scaled by a heavy-tailed factor (outliers far from their center).
   */
  readonly shape?: DatasetShape;
}

export type DatasetShape = 'mixture' | 'skewed';

export interface Dataset {
  readonly rows: number;
  readonly dimensions: number;
  /** Row-major, `rows × dimensions`, every row of length 1. */
  readonly vectors: Float32Array;
  /** Index into `collectionNames` for each row. */
  readonly collectionOf: Uint8Array;
  readonly collectionNames: readonly string[];
  /**
   * A random permutation of 0…rows-1: a filter on "rank below n" matches exactly n rows, scattered
   * over the space like the collections (the cutoff-crossing workloads use it).
   */
  readonly ranks: Uint32Array;
  /** Row-major, `queryCount × dimensions`, every row of length 1. */
  readonly queries: Float32Array;
  readonly queryCount: number;
}

/** Rows per collection for `shares`, summing exactly to `rows` (largest-remainder rounding). */
export function collectionSizes(rows: number, shares: readonly number[] = COLLECTION_SHARES): number[] {
  const total = shares.reduce((sum, share) => sum + share, 0);
  const exact = shares.map((share) => (rows * share) / total);
  const sizes = exact.map(Math.floor);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  let missing = rows - sizes.reduce((sum, size) => sum + size, 0);
  for (const { index } of byRemainder) {
    if (missing === 0) break;
    sizes[index] = (sizes[index] ?? 0) + 1;
    missing -= 1;
  }
  return sizes;
}

/** The `index`-th vector of a row-major block, without copying. */
export function vectorAt(block: Float32Array, dimensions: number, index: number): Float32Array {
  return block.subarray(index * dimensions, (index + 1) * dimensions);
}

function normalize(vector: Float32Array): void {
  let squared = 0;
  for (const value of vector) squared += value * value;
  const norm = Math.sqrt(squared);
  if (norm === 0) return;
  for (let index = 0; index < vector.length; index += 1) vector[index] = (vector[index] ?? 0) / norm;
}

interface Component {
  readonly center: Float32Array;
  /** Spread along each of `directions` (skewed shape: decaying). */
  readonly scales: Float32Array;
  /** Indexes into the shared direction pool: the directions this component varies along. */
  readonly directions: Uint32Array;
}

function randomUnitVector(random: SeededRandom, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (let index = 0; index < dimensions; index += 1) vector[index] = random.gaussian();
  normalize(vector);
  return vector;
}

/** Within-component spread along each intrinsic direction, and the isotropic noise on top. */
const LATENT_SCALE = 0.1;
const NOISE_NORM = 0.1;

/** Picks a component: uniformly, or (skewed) by Zipf weights through their cumulative sums. */
function pickComponent(random: SeededRandom, components: readonly Component[], cumulative?: Float64Array) {
  if (cumulative === undefined) return components[random.integer(components.length)]!;
  const draw = random.next() * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle]! < draw) low = middle + 1;
    else high = middle;
  }
  return components[low]!;
}

function drawFromMixture(options: {
  readonly random: SeededRandom;
  readonly components: readonly Component[];
  readonly directionPool: Float32Array;
  readonly target: Float32Array;
  /** Skewed shape: cumulative Zipf weights of the components, and heavy-tailed offsets. */
  readonly cumulative?: Float64Array;
}): void {
  const { random, components, directionPool, target, cumulative } = options;
  const dimensions = target.length;
  const component = pickComponent(random, components, cumulative);
  // 1/√u for u uniform in (0.05, 1]: mostly near 1, sometimes up to 4.5 — a heavy tail of outliers.
  const tail = cumulative === undefined ? 1 : 1 / Math.sqrt(0.05 + 0.95 * random.next());
  target.set(component.center);
  for (const [latent, directionIndex] of component.directions.entries()) {
    const weight = random.gaussian() * LATENT_SCALE * tail * component.scales[latent]!;
    const direction = vectorAt(directionPool, dimensions, directionIndex);
    for (let index = 0; index < dimensions; index += 1)
      target[index] = (target[index] ?? 0) + weight * (direction[index] ?? 0);
  }
  const noise = NOISE_NORM / Math.sqrt(dimensions);
  for (let index = 0; index < dimensions; index += 1)
    target[index] = (target[index] ?? 0) + random.gaussian() * noise;
  normalize(target);
}

/** Fisher–Yates, in place. */
function shuffle(random: SeededRandom, values: Uint8Array | Uint32Array): void {
  for (let index = values.length - 1; index > 0; index -= 1) {
    const other = random.integer(index + 1);
    const swap = values[index]!;
    values[index] = values[other]!;
    values[other] = swap;
  }
}

/**
 * A Gaussian mixture of unit vectors: each component has a random unit center and varies along
 * `intrinsicDimensions` random directions, plus a little noise in every dimension; then each vector
 * is normalised.
 * Collections are assigned independently of components (a random permutation of the sizes from
 * `collectionSizes`), so a small collection's members are scattered over the whole space — the
 * hard case for filtered approximate search.
 */
export function generateDataset(options: DatasetOptions): Dataset {
  const { rows, dimensions, queries: queryCount } = options;
  if (!Number.isInteger(rows) || rows < COLLECTION_SHARES.length) {
    throw new RangeError(`rows must be an integer ≥ ${COLLECTION_SHARES.length}, got ${rows}`);
  }
  if (!Number.isInteger(dimensions) || dimensions < 2)
    throw new RangeError(`dimensions must be an integer ≥ 2, got ${dimensions}`);
  if (!Number.isInteger(queryCount) || queryCount < 1)
    throw new RangeError(`queries must be an integer ≥ 1, got ${queryCount}`);
  const random = createSeededRandom(options.seed ?? 42);
  const skewed = options.shape === 'skewed';
  const clusterCount = options.clusters ?? Math.max(2, Math.round(rows / 10));
  const intrinsicDimensions = Math.min(dimensions, options.intrinsicDimensions ?? 64);

  // Components draw their directions from one shared pool: a basis per component would need
  // components × intrinsic × dimensions floats (gigabytes at 50,000 × 1536).
  const poolSize = intrinsicDimensions * 8;
  const directionPool = new Float32Array(poolSize * dimensions);
  for (let direction = 0; direction < poolSize; direction += 1)
    directionPool.set(randomUnitVector(random, dimensions), direction * dimensions);
  const components: Component[] = [];
  for (let cluster = 0; cluster < clusterCount; cluster += 1) {
    const center = randomUnitVector(random, dimensions);
    const directions = new Uint32Array(intrinsicDimensions);
    const scales = new Float32Array(intrinsicDimensions);
    for (let latent = 0; latent < intrinsicDimensions; latent += 1) {
      directions[latent] = random.integer(poolSize);
      // Skewed: the first directions spread 2×, the 64th about 0.2× — anisotropic components.
      scales[latent] = skewed ? 2 / (1 + latent / 7) : 1;
    }
    components.push({ center, directions, scales });
  }
  let cumulative: Float64Array | undefined;
  if (skewed) {
    cumulative = new Float64Array(clusterCount);
    let sum = 0;
    for (let cluster = 0; cluster < clusterCount; cluster += 1) {
      sum += 1 / (cluster + 1);
      cumulative[cluster] = sum;
    }
  }
  const draw = (target: Float32Array) =>
    drawFromMixture({ random, components, directionPool, target, ...(cumulative ? { cumulative } : {}) });

  const vectors = new Float32Array(rows * dimensions);
  for (let row = 0; row < rows; row += 1) draw(vectorAt(vectors, dimensions, row));
  const queries = new Float32Array(queryCount * dimensions);
  for (let query = 0; query < queryCount; query += 1) draw(vectorAt(queries, dimensions, query));

  const collectionOf = new Uint8Array(rows);
  let row = 0;
  collectionSizes(rows).forEach((size, collection) => {
    collectionOf.fill(collection, row, row + size);
    row += size;
  });
  // So membership does not follow row order (and thus not insertion order either).
  shuffle(random, collectionOf);
  const ranks = new Uint32Array(rows);
  for (let index = 0; index < rows; index += 1) ranks[index] = index;
  shuffle(random, ranks);

  return {
    rows,
    dimensions,
    vectors,
    collectionOf,
    ranks,
    collectionNames: COLLECTION_SHARES.map((_, index) => `collection_${index}`),
    queries,
    queryCount,
  };
}
