import { afterEach, describe, expect, it } from "vitest";
import type { Accounts, AdmitInput, Principal } from "../../src/accounts/accounts.js";
import { createAccounts } from "../../src/accounts/create-accounts.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStore } from "../../src/stores/memory-store.js";
import { createSqliteStore } from "../../src/stores/sqlite-store.js";
import { ABANDONED_ERROR_CODE, PENDING_ERROR_CODE } from "../../src/stores/store.js";
import { bearer, makeModel, manualClock, usageFor } from "./helpers.js";

let accounts: Accounts | undefined;
// close(0): these tests leave admissions unfinished on purpose, and close() would wait for them.
afterEach(async () => accounts?.close(0));

const input = (principal: Principal, overrides: Partial<AdmitInput> = {}): AdmitInput => ({
  principal,
  model: makeModel(),
  maxCostNano: 1_000_000, // $0.001
  estimatedTokens: 100,
  requestId: `req_${Math.random()}`,
  ...overrides,
});

describe("admit and finish", () => {
  it("429s over requests per minute with Retry-After and x-ratelimit headers, and resets with the window", async () => {
    const clock = manualClock(Date.UTC(2025, 0, 1, 0, 0, 15)); // 15 s into a minute
    accounts = createAccounts({ now: clock.now });
    const { key } = await accounts.keys.create({ limits: { requestsPerMinute: 2 } });
    const principal = await accounts.authenticate(bearer(key));

    const first = await accounts.admit(input(principal));
    expect(first.headers).toEqual({ "x-ratelimit-limit-requests": "2", "x-ratelimit-remaining-requests": "1", "x-ratelimit-reset-requests": "45s" });
    const second = await accounts.admit(input(principal));
    expect(second.headers["x-ratelimit-remaining-requests"]).toBe("0");
    clock.advance(5_000);
    await expect(accounts.admit(input(principal))).rejects.toMatchObject({
      status: 429,
      code: "rate_limit_exceeded",
      headers: { "retry-after": "40", "x-ratelimit-limit-requests": "2", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "40s" },
    });
    clock.advance(40_000); // the next minute
    const third = await accounts.admit(input(principal));
    expect(third.headers["x-ratelimit-remaining-requests"]).toBe("1");
    expect(third.headers["x-ratelimit-reset-requests"]).toBe("1m0s");
  });

  it("429s over tokens per minute, counting real tokens at finish", async () => {
    const clock = manualClock(Date.UTC(2025, 0, 1, 0, 0, 0));
    accounts = createAccounts({ now: clock.now });
    const { key } = await accounts.keys.create({ limits: { tokensPerMinute: 1_000 } });
    const principal = await accounts.authenticate(bearer(key));
    const a = await accounts.admit(input(principal, { estimatedTokens: 900 }));
    expect(a.headers).toMatchObject({ "x-ratelimit-limit-tokens": "1000", "x-ratelimit-remaining-tokens": "100", "x-ratelimit-reset-tokens": "1m0s" });
    await expect(accounts.admit(input(principal, { estimatedTokens: 200 }))).rejects.toMatchObject({ status: 429, headers: { "x-ratelimit-remaining-tokens": "100" } });
    // The answer used only 50 tokens: the rest goes back to the window.
    await accounts.finish(a, usageFor(principal.keyId, { id: a.reservationId!, totalTokens: 50 }));
    const b = await accounts.admit(input(principal, { estimatedTokens: 200 }));
    expect(b.headers["x-ratelimit-remaining-tokens"]).toBe("750");
  });

  it("429s over the concurrency limit until a request finishes", async () => {
    accounts = createAccounts();
    const { key } = await accounts.keys.create({ limits: { concurrent: 2 } });
    const principal = await accounts.authenticate(bearer(key));
    const a = await accounts.admit(input(principal));
    await accounts.admit(input(principal));
    await expect(accounts.admit(input(principal))).rejects.toMatchObject({ status: 429, headers: { "retry-after": "1" } });
    await accounts.finish(a, usageFor(principal.keyId, { id: a.reservationId! }));
    await expect(accounts.admit(input(principal))).resolves.toBeDefined();
  });

  it("on the SQLite file store (limits counted in the process, written behind), the same limits hold", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modelmux-admit-"));
    try {
      const clock = manualClock(Date.UTC(2025, 0, 1, 0, 0, 15));
      accounts = createAccounts({ store: createSqliteStore(join(dir, "store.db")), now: clock.now });
      const { key } = await accounts.keys.create({ limits: { concurrent: 2, requestsPerMinute: 4 } });
      const principal = await accounts.authenticate(bearer(key));
      const a = await accounts.admit(input(principal));
      await accounts.admit(input(principal));
      await expect(accounts.admit(input(principal))).rejects.toMatchObject({ status: 429, headers: { "retry-after": "1" } });
      await accounts.finish(a, usageFor(principal.keyId, { id: a.reservationId! }));
      const c = await accounts.admit(input(principal));
      expect(c.headers["x-ratelimit-remaining-requests"]).toBe("0");
      // Past the commit window: what is in the file now counts the same.
      await new Promise((resolve) => setTimeout(resolve, 40));
      await expect(accounts.admit(input(principal))).rejects.toMatchObject({ status: 429 });
      await accounts.close(0);
      accounts = undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("402s when the balance cannot cover the most a request can cost; free models work at zero balance", async () => {
    accounts = createAccounts();
    const { key, id } = await accounts.keys.create({ credits: 0.0015 });
    const principal = await accounts.authenticate(bearer(key));
    const a = await accounts.admit(input(principal));
    await expect(accounts.admit(input(principal))).rejects.toMatchObject({ status: 402, code: "insufficient_balance" });
    await accounts.finish(a, usageFor(id, { id: a.reservationId!, costNano: 400_000 }));
    expect((await accounts.keys.get(id))?.balance).toBe(0.0011);
    await accounts.admit(input(principal));

    const broke = await accounts.keys.create({ credits: 0 });
    const poor = await accounts.authenticate(bearer(broke.key));
    await expect(accounts.admit(input(poor))).rejects.toMatchObject({ status: 402 });
    await expect(accounts.admit(input(poor, { model: makeModel({ id: "mock/echo", is_free: true }) }))).resolves.toBeDefined();
    await expect(accounts.admit(input(poor, { maxCostNano: 0 }))).resolves.toBeDefined();
  });

  it("a reused request id never merges two holds; without a generation id the pending record is replaced at finish", async () => {
    const store = createMemoryStore();
    accounts = createAccounts({ store });
    const { key, id } = await accounts.keys.create({ credits: 0.002 });
    const principal = await accounts.authenticate(bearer(key));
    const a = await accounts.admit(input(principal, { requestId: "same" }));
    await accounts.admit(input(principal, { requestId: "same" }));
    await expect(accounts.admit(input(principal, { requestId: "same" }))).rejects.toMatchObject({ status: 402 });
    const final = usageFor(id, { costNano: 10 });
    await accounts.finish(a, final);
    expect(await store.getUsage(a.reservationId!)).toBeUndefined();
    expect((await store.getUsage(final.id))?.costNano).toBe(10);
  });

  it("unlimited and static keys and anonymous callers are never refused for balance", async () => {
    accounts = createAccounts({ staticKeys: ["a-static-key"] });
    const { key } = await accounts.keys.create();
    for (const principal of [await accounts.authenticate(bearer(key)), await accounts.authenticate(bearer("a-static-key")), { keyId: null, key: null }]) {
      await expect(accounts.admit(input(principal, { maxCostNano: 10 ** 15 }))).resolves.toMatchObject({ headers: {} });
    }
  });

  it("writes a pending usage record at admission that finish replaces, and reconcile marks abandoned when finish never comes", async () => {
    const clock = manualClock();
    const store = createMemoryStore();
    accounts = createAccounts({ store, now: clock.now, reservationTtlMs: 60_000, reconcileIntervalMs: 0 });
    const { key, id } = await accounts.keys.create({ credits: 1 });
    const principal = await accounts.authenticate(bearer(key));
    const done = await accounts.admit(input(principal, { generationId: "gen_done", endpoint: "/chat/completions", stream: true, user: "u1" }));
    const lost = await accounts.admit(input(principal, { generationId: "gen_lost", maxCostNano: 500_000_000 }));
    expect(await store.getUsage("gen_lost")).toMatchObject({ keyId: id, status: 0, errorCode: PENDING_ERROR_CODE, requestedModel: "openai/gpt-4o-mini" });
    expect(lost.reservationId).toBe("gen_lost");
    await accounts.finish(done, usageFor(null, { id: "gen_done", costNano: 1000 }));
    expect(await store.getUsage("gen_done")).toMatchObject({ keyId: id, status: 200, costNano: 1000 });
    await expect(accounts.admit(input(principal, { maxCostNano: 600_000_000 }))).rejects.toMatchObject({ status: 402 });
    clock.advance(60_000);
    expect(await accounts.reconcile()).toBe(1);
    expect((await store.getUsage("gen_lost"))?.errorCode).toBe(ABANDONED_ERROR_CODE);
    await expect(accounts.admit(input(principal, { maxCostNano: 600_000_000 }))).resolves.toBeDefined();
  });

  it("onUsage that throws or hangs neither breaks nor delays finish beyond hookTimeoutMs, and is reported", async () => {
    const reported: string[] = [];
    const seen: string[] = [];
    let behaviour: "throw" | "hang" | "ok" = "throw";
    accounts = createAccounts({
      hookTimeoutMs: 100,
      hooks: {
        onUsage(record) {
          seen.push(record.id);
          if (behaviour === "throw") throw new Error("analytics down");
          if (behaviour === "hang") return new Promise(() => {});
        },
        onError: (error, ctx) => void reported.push(`${ctx.hook}: ${String(error)}`),
      },
    });
    const { key } = await accounts.keys.create();
    const principal = await accounts.authenticate(bearer(key));
    for (const mode of ["throw", "hang", "ok"] as const) {
      behaviour = mode;
      const admission = await accounts.admit(input(principal));
      const started = Date.now();
      await expect(accounts.finish(admission, usageFor(principal.keyId, { id: admission.reservationId! }))).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(600);
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(seen.length).toBe(3);
    expect(reported).toEqual([expect.stringContaining("onUsage: Error: analytics down"), expect.stringContaining("did not finish within 100 ms")]);
  });

  it("an onError hook that hangs too only ends in console.warn; a failing store in finish is reported, never thrown", async () => {
    const store = createMemoryStore();
    accounts = createAccounts({ store, hookTimeoutMs: 20, hooks: { onError: () => new Promise(() => {}) } });
    await accounts.ready();
    store.settle = async () => {
      throw new Error("disk full");
    };
    const warned: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args);
    try {
      await expect(accounts.finish(null, usageFor(null))).resolves.toBeUndefined();
      await new Promise((r) => setTimeout(r, 60));
    } finally {
      console.warn = original;
    }
    expect(JSON.stringify(warned.map(String))).toContain("disk full");
  });

  it("beforeRequest may change the request, refuse it with a GatewayError, or fail without effect", async () => {
    const { forbidden } = await import("../../src/errors/errors.js");
    let mode = "change";
    accounts = createAccounts({
      hookTimeoutMs: 30,
      hooks: {
        onError: () => undefined,
        beforeRequest(ctx) {
          if (mode === "change") return { ...(ctx as object), changed: true };
          if (mode === "refuse") throw forbidden("not on weekends");
          if (mode === "throw") throw new Error("bug");
          return new Promise(() => {});
        },
      },
    });
    expect(await accounts.beforeRequest({ a: 1 })).toEqual({ a: 1, changed: true });
    mode = "refuse";
    await expect(accounts.beforeRequest({ a: 1 })).rejects.toMatchObject({ status: 403 });
    mode = "throw";
    expect(await accounts.beforeRequest({ a: 1 })).toEqual({ a: 1 });
    mode = "hang";
    expect(await accounts.beforeRequest({ a: 1 })).toEqual({ a: 1 });
  });

  it("GET /generation shows a record only to its own key; GET /key shows balance, limits and usage", async () => {
    const clock = manualClock(Date.UTC(2025, 2, 10, 12));
    accounts = createAccounts({ now: clock.now });
    const mine = await accounts.keys.create({ name: "mine", credits: 2, limits: { requestsPerMinute: 60 }, expiresAt: Date.UTC(2026, 0, 1) });
    const theirs = await accounts.keys.create({ name: "theirs" });
    const me = await accounts.authenticate(bearer(mine.key));
    const them = await accounts.authenticate(bearer(theirs.key));
    const a = await accounts.admit(input(me, { generationId: "gen_1" }));
    await accounts.finish(a, usageFor(mine.id, { id: "gen_1", costNano: 250_000_000, totalTokens: 40, createdAt: clock.now() }));
    await accounts.finish(null, usageFor(mine.id, { id: "gen_old", costNano: 100_000_000, totalTokens: 10, createdAt: Date.UTC(2025, 2, 2) }));
    expect((await accounts.getGeneration("gen_1", me))?.costNano).toBe(250_000_000);
    expect(await accounts.getGeneration("gen_1", them)).toBeUndefined();
    expect(await accounts.getGeneration("gen_missing", me)).toBeUndefined();

    const body = (await accounts.describeKey(me)) as { data: Record<string, unknown> };
    expect(body.data).toMatchObject({
      id: mine.id,
      label: "mine",
      masked: mine.record.masked,
      balance: 1.65,
      usage: { today: { requests: 1, cost: 0.25, tokens: 40 }, month: { requests: 2, cost: 0.35, tokens: 50 } },
      rate_limit: { requests: 60, interval: "1m" },
      is_free_tier: false,
      expires_at: "2026-01-01T00:00:00.000Z",
    });
    expect(((await accounts.describeKey(them)) as { data: { balance: unknown } }).data.balance).toBeNull();
  });
});

describe("close() and requests that never finish", () => {
  it("forgets an admission once its hold has expired, so close() does not wait for it", async () => {
    const clock = manualClock();
    accounts = createAccounts({ now: clock.now, reservationTtlMs: 60_000 });
    const { key } = await accounts.keys.create({});
    const principal = await accounts.authenticate(bearer(key));
    await accounts.admit(input(principal)); // never finished (a host that drops a stream unread)
    clock.advance(60_001);
    // The open admissions are swept every 1,024 admissions; these finish at once.
    for (let i = 0; i < 1024; i++) {
      const a = await accounts.admit(input(principal));
      await accounts.finish(a, usageFor(principal.keyId, { id: a.reservationId! }));
    }
    const started = Date.now();
    await accounts.close();
    accounts = undefined;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("still waits for an admission younger than its hold", async () => {
    const clock = manualClock();
    accounts = createAccounts({ now: clock.now, reservationTtlMs: 60_000 });
    const { key } = await accounts.keys.create({});
    const principal = await accounts.authenticate(bearer(key));
    const pending = await accounts.admit(input(principal));
    const started = Date.now();
    const closing = accounts.close(5_000);
    setTimeout(() => void accounts!.finish(pending, usageFor(principal.keyId, { id: pending.reservationId! })), 100);
    await closing;
    accounts = undefined;
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(90);
    expect(waited).toBeLessThan(4_000);
  });
});
