import type { UsageRecord } from "../stores/store.js";
import { windowStart } from "../stores/window-start.js";
import type { Admission } from "./accounts.js";
import type { AccountsContext } from "./accounts-options.js";
import { runHookBounded } from "./run-hook-bounded.js";

/**
 * Settles and logs one request, frees its slot, then hands the record to
 * onUsage. Never throws: a failing store or hook is reported, and a hung
 * hook holds the caller at most hookTimeoutMs.
 */
export async function finishRequest(ctx: AccountsContext, admission: Admission | null, input: UsageRecord): Promise<void> {
  const keyId = input.keyId ?? admission?.keyId ?? null;
  const record: UsageRecord = input.keyId === keyId ? input : { ...input, keyId };
  const requestId = admission?.requestId ?? record.id;
  const guard = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      ctx.report(error, { hook: what, requestId });
    }
  };

  // The settle of every request, awaited here rather than through guard (one async closure fewer).
  try {
    await ctx.store.settle(admission?.reservationId ?? null, record);
  } catch (error) {
    ctx.report(error, { hook: "store.settle", requestId });
  }
  if (admission?.slotLease && keyId !== null) {
    const lease = admission.slotLease;
    await guard("store.releaseSlot", () => ctx.store.releaseSlot(`conc:${keyId}`, lease));
  }
  const resetAt = admission?.tokenWindowResetAt;
  const now = ctx.now();
  // Replace the token estimate by the real count while still in the same window.
  if (resetAt && keyId !== null && windowStart(now, 60_000) + 60_000 === resetAt) {
    const delta = record.totalTokens - (admission?.estimatedTokens ?? 0);
    if (delta !== 0) await guard("store.incrementWindow", () => ctx.store.incrementWindow(`tpm:${keyId}`, 60_000, delta, now));
  }

  const onUsage = ctx.hooks.onUsage;
  if (onUsage) {
    const outcome = await runHookBounded("onUsage", () => onUsage(structuredClone(record)), ctx.hookTimeoutMs);
    if (outcome.status !== "ok") ctx.report(outcome.error, { hook: "onUsage", requestId });
  }
}
