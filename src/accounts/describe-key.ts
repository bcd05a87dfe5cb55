import { nanoToUsd } from "../accounting/parse-usd.js";
import type { Principal } from "./accounts.js";
import type { AccountsContext } from "./accounts-options.js";

const startOfUtcDay = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};
const startOfUtcMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/** GET /key, close to OpenRouter's shape: balance and limits in USD, usage today and this month (UTC). */
export async function describeKey(ctx: AccountsContext, principal: Principal) {
  const now = ctx.now();
  const key = principal.keyId === null ? null : ((await ctx.store.getKey(principal.keyId)) ?? principal.key);
  const usage = async (since: number) => {
    if (principal.keyId === null) return { requests: 0, cost: 0, tokens: 0 };
    const sum = await ctx.store.sumUsage(principal.keyId, since);
    return { requests: sum.requests, cost: nanoToUsd(sum.costNano), tokens: sum.tokens };
  };
  const [today, month] = await Promise.all([usage(startOfUtcDay(now)), usage(startOfUtcMonth(now))]);
  const balance = key?.balanceNano == null ? null : nanoToUsd(key.balanceNano);
  const limits = key?.limits ?? {};
  return {
    data: {
      id: key?.id ?? null,
      label: key?.name ?? "anonymous",
      name: key?.name ?? "anonymous",
      masked: key?.masked || null,
      balance,
      limit_remaining: balance,
      limit: balance,
      usage: { today, month },
      limits: {
        requests_per_minute: limits.requestsPerMinute ?? null,
        tokens_per_minute: limits.tokensPerMinute ?? null,
        concurrent: limits.concurrent ?? null,
      },
      rate_limit: { requests: limits.requestsPerMinute ?? null, interval: "1m" },
      models: key?.models ?? null,
      is_free_tier: key?.balanceNano != null && key.balanceNano <= 0,
      created_at: key && key.createdAt > 0 ? new Date(key.createdAt).toISOString() : null,
      expires_at: key?.expiresAt == null ? null : new Date(key.expiresAt).toISOString(),
    },
  };
}
