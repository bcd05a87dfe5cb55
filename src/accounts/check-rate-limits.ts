import { rateLimited } from "../errors/errors.js";
import type { KeyLimits, Store } from "../stores/store.js";
import { formatReset } from "./format-reset.js";

const MINUTE = 60_000;

export interface RateLimitResult {
  headers: Record<string, string>;
  tokenWindowResetAt: number | null;
}

/**
 * Fixed one-minute windows for requests and tokens. The headers are built
 * first so that a 429 carries them too (clients back off on them).
 */
export async function checkRateLimits(store: Store, keyId: string, limits: KeyLimits, estimatedTokens: number, now: number): Promise<RateLimitResult> {
  const headers: Record<string, string> = {};
  let tokenWindowResetAt: number | null = null;
  const rpm = limits.requestsPerMinute;
  if (rpm !== undefined) {
    const { total, resetAt } = await store.incrementWindow(`rpm:${keyId}`, MINUTE, 1, now);
    headers["x-ratelimit-limit-requests"] = String(rpm);
    headers["x-ratelimit-remaining-requests"] = String(Math.max(0, rpm - total));
    headers["x-ratelimit-reset-requests"] = formatReset(resetAt - now);
    if (total > rpm) throw rateLimited(`Rate limit reached: ${rpm} requests per minute for this key`, (resetAt - now) / 1000, headers);
  }
  const tpm = limits.tokensPerMinute;
  if (tpm !== undefined) {
    const { total, resetAt } = await store.incrementWindow(`tpm:${keyId}`, MINUTE, estimatedTokens, now);
    tokenWindowResetAt = resetAt;
    headers["x-ratelimit-limit-tokens"] = String(tpm);
    headers["x-ratelimit-remaining-tokens"] = String(Math.max(0, tpm - total));
    headers["x-ratelimit-reset-tokens"] = formatReset(resetAt - now);
    if (total > tpm) {
      // Give the tokens back: a refused request consumed nothing.
      await store.incrementWindow(`tpm:${keyId}`, MINUTE, -estimatedTokens, now);
      headers["x-ratelimit-remaining-tokens"] = String(Math.max(0, tpm - (total - estimatedTokens)));
      throw rateLimited(
        `Rate limit reached: ${tpm} tokens per minute for this key (this request may use up to ${estimatedTokens})`,
        (resetAt - now) / 1000,
        headers,
      );
    }
  }
  return { headers, tokenWindowResetAt };
}
