export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/**
 * Delay before retry number `retry` (0-based): the upstream's Retry-After
 * when given (capped), else exponential backoff with full jitter.
 */
export function computeBackoff(retry: number, retryAfterMs: number | undefined, opts: BackoffOptions, random: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, opts.maxRetryAfterMs);
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
