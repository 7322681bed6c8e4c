// The one gate every request of a provider passes before it is sent: a pause after a 429 holds back
// all of them, the budget the server reports in its x-ratelimit-* headers is not overspent, and the
// user's own per-minute caps hold. Hand-written rather than `bottleneck`: its reservoir counts
// requests, not tokens, has no notion of a budget that the server resets from response headers, and
// would still need this code around it; what is left here is a few comparisons of times.
import { delay } from './cancellation.js';
import { rateLimitBudget } from './rate-limit-headers.js';

export interface RateLimiterOptions {
  /** Requests sent in any 60 s at most; undefined: no cap of our own. */
  readonly requestsPerMinute?: number | undefined;
  /** Tokens sent in any 60 s at most; undefined: no cap of our own. */
  readonly tokensPerMinute?: number | undefined;
}

export interface RateLimiter {
  /** Waits until a request of `tokens` may go out, then counts it as sent. */
  acquire(tokens: number, signal?: AbortSignal): Promise<void>;
  /** No request of the provider goes out for `milliseconds` (a 429 and its Retry-After). */
  pause(milliseconds: number): void;
  /** Takes the budget left and its reset times from an answer's x-ratelimit-* headers. */
  observe(headers: Headers | undefined): void;
}

const minuteMs = 60_000;

/** What the server said is left, and when it is whole again (performance.now() times). */
interface ServerBudget {
  requests: number | undefined;
  requestsResetAt: number;
  tokens: number | undefined;
  tokensResetAt: number;
}

/** A request sent within the last minute, for the per-minute caps. */
interface Sent {
  readonly at: number;
  readonly tokens: number;
}

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const { requestsPerMinute, tokensPerMinute } = options;
  let pausedUntil = 0;
  const budget: ServerBudget = {
    requests: undefined,
    requestsResetAt: 0,
    tokens: undefined,
    tokensResetAt: 0,
  };
  // Oldest first; entries older than a minute are dropped as soon as a request looks.
  const window: Sent[] = [];
  let windowTokens = 0;

  const forget = (now: number) => {
    while (window.length > 0 && window[0]!.at <= now - minuteMs) windowTokens -= window.shift()!.tokens;
    // Past its reset time the reported budget says nothing any more.
    if (now >= budget.requestsResetAt) budget.requests = undefined;
    if (now >= budget.tokensResetAt) budget.tokens = undefined;
  };

  /** Milliseconds until a request of `tokens` may go out; 0 when it may now. */
  const waitFor = (tokens: number, now: number): number => {
    let until = pausedUntil;
    if (budget.requests !== undefined && budget.requests < 1) until = Math.max(until, budget.requestsResetAt);
    if (budget.tokens !== undefined && budget.tokens < tokens) until = Math.max(until, budget.tokensResetAt);
    // The caps: wait until enough of the window has aged out. A request larger than the whole token
    // cap waits for an empty window instead of forever.
    if (requestsPerMinute !== undefined && window.length >= requestsPerMinute) {
      until = Math.max(until, window[window.length - requestsPerMinute]!.at + minuteMs);
    }
    if (tokensPerMinute !== undefined && window.length > 0 && windowTokens + tokens > tokensPerMinute) {
      let freed = windowTokens + tokens - tokensPerMinute;
      for (const sent of window) {
        freed -= sent.tokens;
        if (freed <= 0) {
          until = Math.max(until, sent.at + minuteMs);
          break;
        }
      }
    }
    return Math.max(0, until - now);
  };

  return {
    async acquire(tokens, signal) {
      for (;;) {
        const now = performance.now();
        forget(now);
        const wait = waitFor(tokens, now);
        if (wait === 0) break;
        // +1: timers may fire a fraction of a millisecond early, which would only loop again.
        await delay(wait + 1, signal);
      }
      // Only the caps need the log; without them it would grow for nothing.
      if (requestsPerMinute !== undefined || tokensPerMinute !== undefined) {
        window.push({ at: performance.now(), tokens });
        windowTokens += tokens;
      }
      // Requests in flight spend the reported budget before their answers report it again.
      if (budget.requests !== undefined) budget.requests--;
      if (budget.tokens !== undefined) budget.tokens -= tokens;
    },
    pause(milliseconds) {
      pausedUntil = Math.max(pausedUntil, performance.now() + milliseconds);
    },
    observe(headers) {
      const reported = rateLimitBudget(headers);
      const now = performance.now();
      if (reported.requests !== undefined) {
        budget.requests = reported.requests;
        budget.requestsResetAt = now + (reported.requestsResetMs ?? minuteMs);
      }
      if (reported.tokens !== undefined) {
        budget.tokens = reported.tokens;
        budget.tokensResetAt = now + (reported.tokensResetMs ?? minuteMs);
      }
    },
  };
}
