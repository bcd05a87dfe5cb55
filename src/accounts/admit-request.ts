import { nanoToUsd } from "../accounting/parse-usd.js";
import { insufficientBalance, rateLimited } from "../errors/errors.js";
import type { Admission, AdmitInput } from "./accounts.js";
import type { AccountsContext } from "./accounts-options.js";
import { checkRateLimits } from "./check-rate-limits.js";
import { pendingUsageRecord } from "./pending-usage-record.js";

/**
 * Rate limits, then the concurrency slot, then the balance hold. The hold is
 * skipped (amount 0) for unmetered keys and free models, but the reservation
 * is still written: it carries the pending usage record.
 */
export async function admitRequest(ctx: AccountsContext, input: AdmitInput): Promise<Admission> {
  const now = ctx.now();
  const { principal } = input;
  const keyId = principal.keyId;
  // Not the request id: a caller may resend its x-request-id, and two live holds must never share a row.
  const id = input.generationId ?? ctx.generateId("gen_");
  const own = principal.key?.limits;
  const limits = own ? { ...ctx.defaultLimits, ...own } : ctx.defaultLimits;
  // A key without rate limits skips the check (an async call and its await on every request).
  const limited = keyId !== null && (limits.requestsPerMinute !== undefined || limits.tokensPerMinute !== undefined);
  const { headers, tokenWindowResetAt } = limited ? await checkRateLimits(ctx.store, keyId, limits, input.estimatedTokens, now) : { headers: {}, tokenWindowResetAt: null };

  let slotLease: string | null = null;
  if (keyId !== null && limits.concurrent !== undefined) {
    slotLease = await ctx.store.acquireSlot(`conc:${keyId}`, limits.concurrent, ctx.reservationTtlMs, now);
    if (slotLease === null) throw rateLimited(`Too many concurrent requests: this key allows ${limits.concurrent} at a time`, 1, headers);
  }

  const metered = principal.key !== null && principal.key.balanceNano !== null;
  const free = input.model.is_free || input.maxCostNano <= 0;
  const amountNano = metered && !free ? input.maxCostNano : 0;
  try {
    const held = await ctx.store.reserve(
      { id, keyId, amountNano, expiresAt: now + ctx.reservationTtlMs, pending: pendingUsageRecord(id, keyId, input, now) },
      now,
    );
    if (!held.ok) {
      throw insufficientBalance(
        `Insufficient balance: this request can cost up to $${nanoToUsd(amountNano)} but the key has $${nanoToUsd(held.availableNano ?? 0)} available. Add credits or lower max_tokens.`,
      );
    }
  } catch (error) {
    if (slotLease !== null && keyId !== null) await ctx.store.releaseSlot(`conc:${keyId}`, slotLease).catch(() => undefined);
    throw error;
  }
  return { requestId: input.requestId, reservationId: id, headers, keyId, slotLease, estimatedTokens: input.estimatedTokens, tokenWindowResetAt };
}
