import { randomBytes as nodeRandomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import { forbidden, shuttingDown } from "../errors/errors.js";
import { isGatewayError } from "../errors/gateway-error.js";
import { resolveStore } from "../stores/resolve-store.js";
import type { KeyRecord } from "../stores/store.js";
import type { Accounts, Admission } from "./accounts.js";
import type { AccountsContext, AccountsOptions } from "./accounts-options.js";
import { admitRequest } from "./admit-request.js";
import { createAdminHandler } from "./create-admin-handler.js";
import { createAuthenticator } from "./create-authenticator.js";
import { createFailedAuthGuard } from "./create-failed-auth-guard.js";
import { createKeyManager } from "./create-key-manager.js";
import { createReporter } from "./create-reporter.js";
import { describeKey } from "./describe-key.js";
import { encodeBase62 } from "./encode-base62.js";
import { finishRequest } from "./finish-request.js";
import { hashApiKey } from "./hash-api-key.js";
import { maskApiKey } from "./mask-api-key.js";
import { runHookBounded } from "./run-hook-bounded.js";

/**
 * The accounting boundary: keys, limits, balances and the usage log on the
 * chosen store. Returns at once; the store initialises in the background and
 * every method waits for it.
 */
/** Admissions between two sweeps of the open ones (see createAccounts). */
const SWEEP_EVERY = 1024;

export function createAccounts(options: AccountsOptions = {}): Accounts {
  const ownsStore = typeof options.store !== "object";
  const store = resolveStore(options.store);
  const randomBytes = options.randomBytes ?? nodeRandomBytes;
  const hooks = options.hooks ?? {};
  const hookTimeoutMs = options.hookTimeoutMs ?? 2000;
  const ctx: AccountsContext = {
    store,
    prefix: options.keyPrefix ?? "mm_",
    now: options.now ?? Date.now,
    randomBytes,
    generateId: options.generateId ?? ((prefix) => prefix + encodeBase62(randomBytes(12))),
    hooks,
    hookTimeoutMs,
    reservationTtlMs: options.reservationTtlMs ?? 15 * 60_000,
    defaultLimits: options.defaultLimits ?? {},
    // ttlResolution 0: the entry's age is read from performance.now() on each lookup. With lru-cache's default (1 ms)
    // a lookup more than 1 ms after the last one starts a 1 ms timer to forget the cached time: on a server that is
    // not saturated that is one timer, and one extra wake-up of the event loop, per request.
    keyCache: new LRUCache<string, KeyRecord>({ max: options.keyCacheMax ?? 10_000, ttl: options.keyCacheTtlMs ?? 2000, ttlResolution: 0 }),
    staticKeys: new Map((options.staticKeys ?? []).map((secret) => staticKeyRecord(secret))),
    report: createReporter(hooks, hookTimeoutMs),
  };

  let timer: NodeJS.Timeout | undefined;
  const reconcile = () => store.reconcile(ctx.now());
  const initialising = store.init().then(async () => {
    await reconcile();
    const every = options.reconcileIntervalMs ?? 60_000;
    if (every > 0) {
      timer = setInterval(() => void reconcile().catch((error: unknown) => ctx.report(error, { hook: "store.reconcile" })), every);
      timer.unref();
    }
  });
  // Surface init failures on first use, not as an unhandled rejection at start.
  let initialised = false;
  initialising.then(() => (initialised = true), () => undefined);
  const ready = () => initialising;

  // Admissions under way, and requests admitted and not finished yet: close() waits for both (bounded), so
  // that a request in flight at shutdown still gets its hold settled and its record written.
  // An admission whose request never finishes (a host that drops a stream unread) is forgotten once its hold
  // has expired, when the map is next swept: the map stays bounded, and close() does not wait for it.
  let admitting = 0;
  const open = new Map<Admission, number>();
  let closing = false;
  let sweepIn = SWEEP_EVERY;
  const left = () => void admitting--;
  const finished = (admission: Admission | null) => void (admission && open.delete(admission));
  const opened = (admission: Admission) => {
    left();
    const at = ctx.now();
    open.set(admission, at);
    if (--sweepIn > 0) return;
    sweepIn = SWEEP_EVERY;
    for (const [old, since] of open) if (at - since > ctx.reservationTtlMs) open.delete(old);
  };

  const keys = createKeyManager(ctx, ready);
  // One count of failed credentials per address, API keys and the admin key alike.
  const failedAuth = createFailedAuthGuard(ctx, options.failedAuthLimit ?? { max: 30, windowMs: 60_000 });
  const authenticate = createAuthenticator(ctx, options.authEnabled ?? true, failedAuth);
  const admin = createAdminHandler(ctx, keys, options.adminKey, failedAuth);

  return {
    keys,
    ready,
    // Not async: once the store is ready, the inner promise is handed on as it is (an async wrapper adds a
    // promise and two microtask steps to every request).
    authenticate(request) {
      return initialised ? authenticate(request) : ready().then(() => authenticate(request));
    },
    authorizeModel(principal, model) {
      const allowed = principal.key?.models;
      if (!allowed) return;
      const ok = allowed.some((pattern) => (pattern.endsWith("*") ? model.id.startsWith(pattern.slice(0, -1)) : pattern === model.id));
      if (!ok) throw forbidden(`This API key may not use model '${model.id}'`);
    },
    admit(input) {
      if (closing) return Promise.reject(shuttingDown());
      admitting++;
      const admitted = initialised ? admitRequest(ctx, input) : ready().then(() => admitRequest(ctx, input));
      // A side branch: the caller's own await gets the admission with no extra step (this runs first).
      admitted.then(opened, left);
      return admitted;
    },
    async beforeRequest<T>(value: T): Promise<T> {
      const hook = hooks.beforeRequest;
      if (!hook) return value;
      const outcome = await runHookBounded("beforeRequest", () => hook(value), hookTimeoutMs);
      if (outcome.status === "ok") return outcome.value === undefined || outcome.value === null ? value : (outcome.value as T);
      if (outcome.status === "error" && isGatewayError(outcome.error)) throw outcome.error;
      ctx.report(outcome.error, { hook: "beforeRequest" });
      return value;
    },
    finish(admission, record) {
      const done = initialised ? finishRequest(ctx, admission, record) : ready().then(() => finishRequest(ctx, admission, record));
      return done.then(
        () => finished(admission),
        (error: unknown) => {
          ctx.report(error, { hook: "finish", requestId: record.id });
          finished(admission);
        },
      );
    },
    async getGeneration(id, principal) {
      await ready();
      const record = await store.getUsage(id);
      // Another key's record is reported as missing, not forbidden: ids are not to be probed.
      if (!record || record.keyId !== principal.keyId) return undefined;
      return record;
    },
    async describeKey(principal) {
      await ready();
      return describeKey(ctx, principal);
    },
    async handleAdmin(request, subpath) {
      await ready();
      return admin(request, subpath);
    },
    async reconcile() {
      await ready();
      return reconcile();
    },
    async close(timeoutMs = 10_000) {
      closing = true;
      // The machine's clock, not ctx.now: a host's test clock must not stop the wait from ending.
      const until = Date.now() + timeoutMs;
      while ((admitting > 0 || open.size > 0) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
      clearInterval(timer);
      await initialising.catch(() => undefined);
      if (ownsStore) await store.close();
    },
  };
}

function staticKeyRecord(secret: string): [string, KeyRecord] {
  const hash = hashApiKey(secret);
  return [
    hash,
    {
      id: `static_${hash.slice(0, 12)}`,
      hash,
      masked: maskApiKey(secret),
      name: "static key",
      createdAt: 0,
      expiresAt: null,
      revokedAt: null,
      balanceNano: null,
      limits: {},
      models: null,
      metadata: {},
    },
  ];
}
