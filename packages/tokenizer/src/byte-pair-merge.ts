// Byte-pair merging that only counts the resulting tokens. Same rule as tiktoken: repeatedly merge
// the adjacent pair whose concatenation has the lowest rank, the leftmost one on ties, until no
// pair is in the vocabulary. Short pieces use a plain scan; long ones (a 1 MB run of letters is one
// pre-tokenizer piece) use a heap over a linked list so the cost stays O(n log n).

import type { RankTable } from './rank-table.js';

export interface MergeInput {
  /** The piece's UTF-8 bytes as a latin1 string (one char per byte). */
  readonly bytes: string;
  /** Token bytes → rank. */
  readonly ranks: RankTable;
}

const scanLimit = 24;

/** Number of tokens the piece encodes to. */
export function mergeCount(input: MergeInput): number {
  return input.bytes.length <= scanLimit ? mergeByScan(input) : mergeByHeap(input);
}

function mergeByScan({ bytes, ranks }: MergeInput): number {
  const starts: number[] = [];
  for (let index = 0; index <= bytes.length; index += 1) starts.push(index);
  while (starts.length > 2) {
    let bestRank = Number.POSITIVE_INFINITY;
    let bestIndex = -1;
    for (let index = 0; index + 2 < starts.length; index += 1) {
      const rank = ranks.rank(bytes, starts[index]!, starts[index + 2]!);
      if (rank >= 0 && rank < bestRank) {
        bestRank = rank;
        bestIndex = index;
      }
    }
    if (bestIndex < 0) break;
    starts.splice(bestIndex + 1, 1);
  }
  return starts.length - 1;
}

/** A binary min-heap of (rank, left start, right end) triples ordered by rank, then left start. */
class PairHeap {
  private readonly ranks: number[] = [];
  private readonly lefts: number[] = [];
  private readonly ends: number[] = [];

  get size(): number {
    return this.ranks.length;
  }

  push(rank: number, left: number, end: number): void {
    this.ranks.push(rank);
    this.lefts.push(left);
    this.ends.push(end);
    let child = this.ranks.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.less(child, parent)) break;
      this.swap(child, parent);
      child = parent;
    }
  }

  /** Removes the minimum; returns its [rank, left, end] through the out array. */
  pop(out: [number, number, number]): void {
    out[0] = this.ranks[0]!;
    out[1] = this.lefts[0]!;
    out[2] = this.ends[0]!;
    const last = this.ranks.length - 1;
    this.swap(0, last);
    this.ranks.pop();
    this.lefts.pop();
    this.ends.pop();
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < this.ranks.length && this.less(left, smallest)) smallest = left;
      if (right < this.ranks.length && this.less(right, smallest)) smallest = right;
      if (smallest === parent) return;
      this.swap(parent, smallest);
      parent = smallest;
    }
  }

  private less(a: number, b: number): boolean {
    const rankA = this.ranks[a]!;
    const rankB = this.ranks[b]!;
    return rankA < rankB || (rankA === rankB && this.lefts[a]! < this.lefts[b]!);
  }

  private swap(a: number, b: number): void {
    const rank = this.ranks[a]!;
    this.ranks[a] = this.ranks[b]!;
    this.ranks[b] = rank;
    const left = this.lefts[a]!;
    this.lefts[a] = this.lefts[b]!;
    this.lefts[b] = left;
    const end = this.ends[a]!;
    this.ends[a] = this.ends[b]!;
    this.ends[b] = end;
  }
}

function mergeByHeap({ bytes, ranks }: MergeInput): number {
  const { longestToken } = ranks;
  const length = bytes.length;
  // Parts are identified by their start offset; `next[start]` is the start of the following part
  // (or `length`), `previous[start]` the start of the preceding one (or -1).
  const next = new Int32Array(length);
  const previous = new Int32Array(length);
  const alive = new Uint8Array(length);
  for (let index = 0; index < length; index += 1) {
    next[index] = index + 1;
    previous[index] = index - 1;
    alive[index] = 1;
  }
  const heap = new PairHeap();
  const pushPair = (left: number): void => {
    if (left < 0) return;
    const right = next[left]!;
    if (right >= length) return;
    const end = next[right]!;
    if (end - left > longestToken) return;
    const rank = ranks.rank(bytes, left, end);
    if (rank >= 0) heap.push(rank, left, end);
  };
  for (let index = 0; index + 1 < length; index += 1) pushPair(index);

  let parts = length;
  const top: [number, number, number] = [0, 0, 0];
  while (heap.size > 0) {
    heap.pop(top);
    const left = top[1];
    const end = top[2];
    // Stale entry: one of the two parts has merged with something else since it was pushed.
    if (alive[left] === 0) continue;
    const right = next[left]!;
    if (right >= length || next[right] !== end) continue;
    alive[right] = 0;
    next[left] = end;
    if (end < length) previous[end] = left;
    parts -= 1;
    pushPair(previous[left]!);
    pushPair(left);
  }
  return parts;
}
