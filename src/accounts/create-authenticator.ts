import type { GatewayRequest } from "../core/gateway-types.js";
import { isGatewayError } from "../errors/gateway-error.js";
import type { KeyRecord } from "../stores/store.js";
import type { Principal } from "./accounts.js";
import type { AccountsContext, ExternalIdentity } from "./accounts-options.js";
import type { FailedAuthGuard } from "./create-failed-auth-guard.js";
import { hashApiKey } from "./hash-api-key.js";
import { hashesEqual } from "./hashes-equal.js";
import { readApiToken } from "./read-api-token.js";
import { runHookBounded } from "./run-hook-bounded.js";

const anonymous: Principal = { keyId: null, key: null };

/**
 * API-key authentication: the host's hook first (if any), then static keys,
 * then the store by SHA-256, confirmed with a constant-time compare. Failed
 * attempts count per client address in the shared guard (see
 * createFailedAuthGuard); past the limit the answer is a 429, and a locked-out
 * client learns nothing: the hook and the key lookup are not even run.
 */
export function createAuthenticator(ctx: AccountsContext, authEnabled: boolean, guard: FailedAuthGuard): (request: GatewayRequest) => Promise<Principal> {
  /** A key not in the cache, from the store (cached when found). */
  const lookup = async (hash: string): Promise<KeyRecord | undefined> => {
    const found = await ctx.store.findKeyByHash(hash);
    if (found) ctx.keyCache.set(hash, found);
    return found;
  };

  const looksLikeKey = new RegExp(`^${ctx.prefix.replace(/[^a-zA-Z0-9]/g, "\\$&")}[0-9A-Za-z]{20,64}$`);

  return async (request) => {
    if (!authEnabled) return anonymous;
    guard.check(request);

    const token = readApiToken(request);
    const hook = ctx.hooks.authenticate;
    if (hook) {
      const outcome = await runHookBounded("authenticate", () => hook(token, request), ctx.hookTimeoutMs);
      if (outcome.status === "error" && isGatewayError(outcome.error)) throw outcome.error;
      if (outcome.status !== "ok") {
        ctx.report(outcome.error, { hook: "authenticate" });
        return guard.refuse(request);
      }
      if (outcome.value === null || outcome.value === false) return guard.refuse(request);
      if (outcome.value !== undefined) return fromIdentity(outcome.value, request);
    }

    if (token === null) return guard.refuse(request);
    const hash = hashApiKey(token);
    const staticKey = ctx.staticKeys.get(hash);
    if (staticKey) return { keyId: staticKey.id, key: staticKey };
    if (!looksLikeKey.test(token)) return guard.refuse(request);
    // A cached key is used without an await: no promise, no microtask step.
    const key = ctx.keyCache.get(hash) ?? (await lookup(hash));
    if (!key || !hashesEqual(key.hash, hash)) return guard.refuse(request);
    const now = ctx.now();
    if (key.revokedAt !== null && key.revokedAt <= now) return guard.refuse(request, "This API key has been revoked.");
    if (key.expiresAt !== null && key.expiresAt <= now) return guard.refuse(request, "This API key has expired.");
    return { keyId: key.id, key };
  };

  async function fromIdentity(identity: ExternalIdentity, request: GatewayRequest): Promise<Principal> {
    if (identity.keyId !== undefined) {
      const key = await ctx.store.getKey(identity.keyId);
      if (!key || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= ctx.now())) return guard.refuse(request);
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
