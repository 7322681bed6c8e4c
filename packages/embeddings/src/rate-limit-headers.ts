// OpenAI's rate-limit headers: how many requests and tokens are left in the current window, and
// when each is whole again, as Go-style durations ("1s", "6m0s", "20ms", "1h2m3.5s").

export interface RateLimitBudget {
  readonly requests?: number;
  readonly requestsResetMs?: number;
  readonly tokens?: number;
  readonly tokensResetMs?: number;
}

const unitMs: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000_001,
};
const durationPart = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g;

/** A duration such as `6m0s` or `20ms` in milliseconds; undefined when it is not one. */
export function parseResetDuration(value: string | null | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  // A bare number is seconds, as in Retry-After.
  if (/^\d+(\.\d+)?$/.test(text)) return Number.parseFloat(text) * 1000;
  let total = 0;
  let matched = '';
  for (const [part, amount, unit] of text.matchAll(durationPart)) {
    total += Number.parseFloat(amount!) * unitMs[unit!]!;
    matched += part;
  }
  return matched === text ? total : undefined;
}

function count(value: string | null | undefined): number | undefined {
  const text = value?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The budget an answer's headers report; fields the server did not send (or sent garbled) are absent. */
export function rateLimitBudget(headers: Headers | undefined): RateLimitBudget {
  if (headers === undefined) return {};
  const budget = {
    requests: count(headers.get('x-ratelimit-remaining-requests')),
    requestsResetMs: parseResetDuration(headers.get('x-ratelimit-reset-requests')),
    tokens: count(headers.get('x-ratelimit-remaining-tokens')),
    tokensResetMs: parseResetDuration(headers.get('x-ratelimit-reset-tokens')),
  };
  return Object.fromEntries(Object.entries(budget).filter(([, value]) => value !== undefined));
}
