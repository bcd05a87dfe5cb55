import { afterEach, describe, expect, it } from "vitest";
import type { Accounts } from "../../src/accounts/accounts.js";
import { createAccounts } from "../../src/accounts/create-accounts.js";
import { createMemoryStore } from "../../src/stores/memory-store.js";
import { bearer, manualClock } from "./helpers.js";

let accounts: Accounts | undefined;
afterEach(async () => accounts?.close());

const expect401 = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });

describe("authenticate", () => {
  it("accepts a created key (Bearer, x-api-key) and a static key", async () => {
    accounts = createAccounts({ staticKeys: ["static-secret-123"] });
    const { key, id } = await accounts.keys.create();
    expect((await accounts.authenticate(bearer(key))).keyId).toBe(id);
    expect((await accounts.authenticate({ method: "POST", path: "/messages", headers: { "x-api-key": key } })).keyId).toBe(id);
    const staticPrincipal = await accounts.authenticate(bearer("static-secret-123"));
    expect(staticPrincipal.keyId).toMatch(/^static_/);
    expect(staticPrincipal.key?.balanceNano).toBeNull();
  });

  it("401s missing, malformed, unknown, revoked and expired keys", async () => {
    const clock = manualClock();
    accounts = createAccounts({ now: clock.now });
    const { key, id } = await accounts.keys.create();
    const expiring = await accounts.keys.create({ expiresAt: clock.now() + 1_000 });
    await expect401(accounts.authenticate(bearer(undefined)));
    await expect401(accounts.authenticate({ method: "GET", path: "/key", headers: { authorization: `Basic ${key}` } }));
    await expect401(accounts.authenticate(bearer("mm_short")));
    await expect401(accounts.authenticate(bearer(`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`)));
    await expect401(accounts.authenticate(bearer(`xx_${key.slice(3)}`)));

    expect((await accounts.authenticate(bearer(expiring.key))).keyId).toBe(expiring.id);
    clock.advance(1_000);
    await expect401(accounts.authenticate(bearer(expiring.key)));

    expect((await accounts.authenticate(bearer(key))).keyId).toBe(id); // now cached
    await accounts.keys.revoke(id);
    await expect401(accounts.authenticate(bearer(key)));
  });

  it("sees a revocation made by another process once the short cache expires", async () => {
    const store = createMemoryStore();
    accounts = createAccounts({ store, keyCacheTtlMs: 50 });
    const other = createAccounts({ store });
    const { key, id } = await accounts.keys.create();
    await accounts.authenticate(bearer(key));
    await other.keys.revoke(id);
    await new Promise((r) => setTimeout(r, 80));
    await expect401(accounts.authenticate(bearer(key)));
    await other.close();
  });

  it("a cached key is found without starting a timer (one per request would wake the event loop)", async () => {
    accounts = createAccounts();
    const { key, id } = await accounts.keys.create();
    await accounts.authenticate(bearer(key));
    const started: unknown[] = [];
    const setTimeoutBefore = globalThis.setTimeout;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => (started.push(args[1]), setTimeoutBefore(...args))) as typeof setTimeout;
    try {
      for (let i = 0; i < 3; i++) {
        // More than lru-cache's default ttlResolution (1 ms) apart: each lookup used to start a 1 ms timer.
        await new Promise((r) => setImmediate(r));
        const wait = performance.now() + 3;
        while (performance.now() < wait);
        expect((await accounts.authenticate(bearer(key))).keyId).toBe(id);
      }
    } finally {
      globalThis.setTimeout = setTimeoutBefore;
    }
    expect(started).toEqual([]);
  });

  it("rate-limits failed attempts per client address, then lets them in after the window", async () => {
    const clock = manualClock(Date.UTC(2025, 0, 1, 0, 0, 0));
    accounts = createAccounts({ now: clock.now, failedAuthLimit: { max: 3, windowMs: 60_000 } });
    const { key } = await accounts.keys.create();
    for (let i = 0; i < 3; i++) await expect401(accounts.authenticate(bearer("mm_wrongwrongwrongwrongwrongwrong1", { clientAddress: "1.2.3.4" })));
    const blocked = accounts.authenticate(bearer(key, { clientAddress: "1.2.3.4" }));
    await expect(blocked).rejects.toMatchObject({ status: 429, code: "rate_limit_exceeded", headers: { "retry-after": "60" } });
    // Another address is not affected.
    expect((await accounts.authenticate(bearer(key, { clientAddress: "5.6.7.8" }))).keyId).not.toBeNull();
    clock.advance(60_000);
    expect((await accounts.authenticate(bearer(key, { clientAddress: "1.2.3.4" }))).keyId).not.toBeNull();
  });

  it("a successful authentication does no counter work; only failures touch the store", async () => {
    const store = createMemoryStore();
    const counted: string[] = [];
    const incrementWindow = store.incrementWindow.bind(store);
    store.incrementWindow = (name, windowMs, amount, now) => (counted.push(`${name}:${amount}`), incrementWindow(name, windowMs, amount, now));
    // A fixed clock: on the real one, a minute boundary between the two failures started a new window and the test flaked.
    const clock = manualClock(Date.UTC(2025, 0, 1, 0, 0, 30));
    accounts = createAccounts({ store, now: clock.now, failedAuthLimit: { max: 2, windowMs: 60_000 } });
    const { key } = await accounts.keys.create();
    for (let i = 0; i < 5; i++) await accounts.authenticate(bearer(key, { clientAddress: "9.9.9.9" }));
    expect(counted).toEqual([]);
    await expect401(accounts.authenticate(bearer("mm_wrongwrongwrongwrongwrongwrong1", { clientAddress: "9.9.9.9" })));
    expect(counted).toEqual(["authfail:9.9.9.9:1"]);
    // Under the limit a valid key still gets in, with no further counter work.
    expect((await accounts.authenticate(bearer(key, { clientAddress: "9.9.9.9" }))).keyId).not.toBeNull();
    await expect401(accounts.authenticate(bearer(undefined, { clientAddress: "9.9.9.9" })));
    // At the limit the address is locked out here: 429s without touching the store, valid key or not.
    await expect(accounts.authenticate(bearer(key, { clientAddress: "9.9.9.9" }))).rejects.toMatchObject({ status: 429 });
    await expect(accounts.authenticate(bearer("mm_wrongwrongwrongwrongwrongwrong1", { clientAddress: "9.9.9.9" }))).rejects.toMatchObject({ status: 429 });
    expect(counted).toEqual(["authfail:9.9.9.9:1", "authfail:9.9.9.9:1"]);
  });

  it("a process sharing the store locks an address out at its first failure past the shared limit", async () => {
    const clock = manualClock(Date.UTC(2025, 0, 1, 0, 0, 30));
    const store = createMemoryStore();
    accounts = createAccounts({ store, now: clock.now, failedAuthLimit: { max: 2, windowMs: 60_000 } });
    const other = createAccounts({ store, now: clock.now, failedAuthLimit: { max: 2, windowMs: 60_000 } });
    try {
      const { key } = await accounts.keys.create();
      const wrong = bearer("mm_wrongwrongwrongwrongwrongwrong1", { clientAddress: "6.6.6.6" });
      await expect401(accounts.authenticate(wrong));
      await expect401(accounts.authenticate(wrong));
      await expect(accounts.authenticate(bearer(key, { clientAddress: "6.6.6.6" }))).rejects.toMatchObject({ status: 429 });
      // The other process counts in the same window: its first failure is over the limit.
      await expect(other.authenticate(wrong)).rejects.toMatchObject({ status: 429, headers: { "retry-after": "30" } });
      await expect(other.authenticate(bearer(key, { clientAddress: "6.6.6.6" }))).rejects.toMatchObject({ status: 429 });
      clock.advance(30_000);
      expect((await other.authenticate(bearer(key, { clientAddress: "6.6.6.6" }))).keyId).not.toBeNull();
      expect((await accounts.authenticate(bearer(key, { clientAddress: "6.6.6.6" }))).keyId).not.toBeNull();
    } finally {
      await other.close();
    }
  });

  it("with auth disabled, every caller is anonymous", async () => {
    accounts = createAccounts({ authEnabled: false });
    expect(await accounts.authenticate(bearer(undefined))).toEqual({ keyId: null, key: null });
  });

  it("an authenticate hook replaces the key store; undefined falls through; a throwing or hanging hook is a 401, reported", async () => {
    const errors: unknown[] = [];
    let mode: "jwt" | "none" | "reject" | "throw" | "hang" = "jwt";
    accounts = createAccounts({
      hookTimeoutMs: 50,
      hooks: {
        authenticate(token) {
          if (mode === "jwt") return token === "jwt-ok" ? { id: "user-7", name: "Seven", limits: { requestsPerMinute: 2 }, models: ["mock/*"] } : null;
          if (mode === "none") return undefined;
          if (mode === "reject") return null;
          if (mode === "throw") throw new Error("jwks down");
          return new Promise(() => {});
        },
        onError: (error) => void errors.push(error),
      },
    });
    const { key, id } = await accounts.keys.create();
    const p = await accounts.authenticate(bearer("jwt-ok"));
    expect(p).toMatchObject({ keyId: "ext_user-7", key: { limits: { requestsPerMinute: 2 }, models: ["mock/*"] }, external: { id: "user-7" } });
    await expect401(accounts.authenticate(bearer(key)));
    mode = "none";
    expect((await accounts.authenticate(bearer(key))).keyId).toBe(id);
    mode = "reject";
    await expect401(accounts.authenticate(bearer(key)));
    mode = "throw";
    await expect401(accounts.authenticate(bearer(key)));
    mode = "hang";
    const started = Date.now();
    await expect401(accounts.authenticate(bearer(key)));
    expect(Date.now() - started).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 10));
    expect(errors.map((e) => String(e))).toEqual([expect.stringContaining("jwks down"), expect.stringContaining("did not finish within 50 ms")]);
  });
});
