import { LRUCache } from "lru-cache";
import type { GatewayRequest } from "../core/gateway-types.js";
import { invalidApiKey, rateLimited } from "../errors/errors.js";
import { isGatewayError } from "../errors/gateway-error.js";
import type { KeyRecord } from "../stores/store.js";
import type { Principal } from "./accounts.js";
import type { AccountsContext, ExternalIdentity } from "./accounts-options.js";
import { hashApiKey } from "./hash-api-key.js";
import { hashesEqual } from "./hashes-equal.js";
import { readApiToken } from "./read-api-token.js";
import { runHookBounded } from "./run-hook-bounded.js";

export interface AuthenticatorOptions {
  authEnabled: boolean;
  failedAuthLimit: { max: number; windowMs: number };
}

const anonymous: Principal = { keyId: null, key: null };

/**
 * API-key authentication: the host's hook first (if any), then static keys,
 * then the store by SHA-256, confirmed with a constant-time compare. Failed
 * attempts count per client address; past the limit the answer is a 429.
 *
 * Only a failure touches the store: it increments the address's counter in
 * the (shared) store. When that count reaches the limit, the address is
 * locked out in this process until the window ends: every attempt from it,
 * valid key or not, is a 429 without any store work (the hook and the key
 * lookup are not even run, so a locked-out client learns nothing). A
 * successful authentication from an address that is not locked out costs
 * no store work at all. Across processes sharing a store the counter is
 * shared: the first failure another process sees from a locked-out address
 * finds the count over the limit, answers 429 and locks it there too.
 */
export function createAuthenticator(ctx: AccountsContext, opts: AuthenticatorOptions): (request: GatewayRequest) => Promise<Principal> {
  const failureWindow = (address: string, amount: number) =>
    ctx.store.incrementWindow(`authfail:${address}`, opts.failedAuthLimit.windowMs, amount, ctx.now());

  // address -> end of the window in which it reached the limit (ctx.now() time). Bounded: an attacker
  // rotating addresses evicts the oldest entries, whose counters are still in the store.
  const lockedOut = new LRUCache<string, number>({ max: 10_000 });

  const refuse = async (address: string, message?: string): Promise<never> => {
    const { total, resetAt } = await failureWindow(address, 1);
    if (total >= opts.failedAuthLimit.max) lockedOut.set(address, resetAt);
    if (total > opts.failedAuthLimit.max) throw tooManyFailures(resetAt - ctx.now());
    throw invalidApiKey(message);
  };

  const lookup = async (hash: string): Promise<KeyRecord | undefined> => {
    const cached = ctx.keyCache.get(hash);
    if (cached) return cached;
    const found = await ctx.store.findKeyByHash(hash);
    if (found) ctx.keyCache.set(hash, found);
    return found;
  };

  const looksLikeKey = new RegExp(`^${ctx.prefix.replace(/[^a-zA-Z0-9]/g, "\\$&")}[0-9A-Za-z]{20,64}$`);

  return async (request) => {
    if (!opts.authEnabled) return anonymous;
    const address = request.clientAddress ?? "unknown";
    if (lockedOut.size > 0) {
      const until = lockedOut.get(address);
      if (until !== undefined) {
        const left = until - ctx.now();
        if (left > 0) throw tooManyFailures(left);
        lockedOut.delete(address);
      }
    }

    const token = readApiToken(request);
    const hook = ctx.hooks.authenticate;
    if (hook) {
      const outcome = await runHookBounded("authenticate", () => hook(token, request), ctx.hookTimeoutMs);
      if (outcome.status === "error" && isGatewayError(outcome.error)) throw outcome.error;
      if (outcome.status !== "ok") {
        ctx.report(outcome.error, { hook: "authenticate" });
        return refuse(address);
      }
      if (outcome.value === null || outcome.value === false) return refuse(address);
      if (outcome.value !== undefined) return fromIdentity(outcome.value, address);
    }

    if (token === null) return refuse(address);
    const hash = hashApiKey(token);
    const staticKey = ctx.staticKeys.get(hash);
    if (staticKey) return { keyId: staticKey.id, key: staticKey };
    if (!looksLikeKey.test(token)) return refuse(address);
    const key = await lookup(hash);
    if (!key || !hashesEqual(key.hash, hash)) return refuse(address);
    const now = ctx.now();
    if (key.revokedAt !== null && key.revokedAt <= now) return refuse(address, "This API key has been revoked.");
    if (key.expiresAt !== null && key.expiresAt <= now) return refuse(address, "This API key has expired.");
    return { keyId: key.id, key };
  };

  async function fromIdentity(identity: ExternalIdentity, address: string): Promise<Principal> {
    if (identity.keyId !== undefined) {
      const key = await ctx.store.getKey(identity.keyId);
      if (!key || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= ctx.now())) return refuse(address);
      return { keyId: key.id, key, external: identity };
    }
    const id = `ext_${identity.id ?? "anonymous"}`;
    const key: KeyRecord = {
      id,
      hash: "",
      masked: "",
      name: identity.name ?? id,
      createdAt: 0,
      expiresAt: null,
      revokedAt: null,
      balanceNano: null,
      limits: identity.limits ?? {},
      models: identity.models ?? null,
      metadata: {},
    };
    return { keyId: id, key, external: identity };
  }
}

function tooManyFailures(resetInMs: number) {
  return rateLimited("Too many failed authentication attempts from this address; try again later.", resetInMs / 1000);
}
