import { LRUCache } from "lru-cache";
import type { GatewayRequest } from "../core/gateway-types.js";
import { invalidApiKey, rateLimited } from "../errors/errors.js";
import type { AccountsContext } from "./accounts-options.js";

export interface FailedAuthLimit {
  max: number;
  windowMs: number;
}

/** Failed credentials (API keys and the admin key alike), counted per client address. */
export interface FailedAuthGuard {
  /** Throws the 429 when the request's address is locked out in this process. */
  check(request: GatewayRequest): void;
  /** Counts one failure for the request's address: the 401 with `message`, or past the limit the 429. */
  refuse(request: GatewayRequest, message?: string): Promise<never>;
}

/**
 * Only a failure touches the store: it increments the address's counter in
 * the (shared) store. When that count reaches the limit, the address is
 * locked out in this process until the window ends: every attempt from it,
 * valid credentials or not, is a 429 without any store work. A request from
 * an address that is not locked out costs no store work, and its address
 * is not even read unless some address is locked out (behind Express, the
 * address is `req.ip`, computed through the trust-proxy rules on each read).
 * Across processes sharing a store the counter is shared: the first failure
 * another process sees from a locked-out address finds the count over the
 * limit, answers 429 and locks it there too.
 */
export function createFailedAuthGuard(ctx: AccountsContext, limit: FailedAuthLimit): FailedAuthGuard {
  // address -> end of the window in which it reached the limit (ctx.now() time). Bounded: an attacker
  // rotating addresses evicts the oldest entries, whose counters are still in the store.
  const lockedOut = new LRUCache<string, number>({ max: 10_000 });
  const addressOf = (request: GatewayRequest) => request.clientAddress ?? "unknown";

  return {
    check(request) {
      if (lockedOut.size === 0) return;
      const address = addressOf(request);
      const until = lockedOut.get(address);
      if (until === undefined) return;
      const left = until - ctx.now();
      if (left > 0) throw tooManyFailures(left);
      lockedOut.delete(address);
    },
    async refuse(request, message) {
      const address = addressOf(request);
      const { total, resetAt } = await ctx.store.incrementWindow(`authfail:${address}`, limit.windowMs, 1, ctx.now());
      if (total >= limit.max) lockedOut.set(address, resetAt);
      if (total > limit.max) throw tooManyFailures(resetAt - ctx.now());
      throw invalidApiKey(message);
    },
  };
}

function tooManyFailures(resetInMs: number) {
  return rateLimited("Too many failed authentication attempts from this address; try again later.", resetInMs / 1000);
}
