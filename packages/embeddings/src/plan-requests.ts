/** A contiguous run of inputs sent as one HTTP request. */
export interface PlannedRequest {
  /** Index of the first input. */
  readonly start: number;
  /** Index after the last input. */
  readonly end: number;
  /** Sum of the inputs' token counts. */
  readonly tokens: number;
}

export interface PlanRequestsOptions {
  /** Token count of every input, in input order. */
  readonly tokenCounts: readonly number[];
  readonly maxInputsPerRequest: number;
  readonly maxTokensPerRequest: number;
}

/**
 * Packs inputs, in order, into as few requests as the two limits allow: a request closes when the
 * next input would exceed either. Order is kept so responses map back without bookkeeping; an
 * input larger than the token budget on its own still gets a request of its own.
 */
export function planRequests(options: PlanRequestsOptions): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  let start = 0;
  let tokens = 0;
  options.tokenCounts.forEach((count, index) => {
    const full =
      index - start >= options.maxInputsPerRequest ||
      (index > start && tokens + count > options.maxTokensPerRequest);
    if (full) {
      requests.push({ start, end: index, tokens });
      start = index;
      tokens = 0;
    }
    tokens += count;
  });
  if (options.tokenCounts.length > start) requests.push({ start, end: options.tokenCounts.length, tokens });
  return requests;
}
