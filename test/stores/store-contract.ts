import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ABANDONED_ERROR_CODE, PENDING_ERROR_CODE, type KeyRecord, type Store, type UsageRecord } from "../../src/stores/store.js";

export function makeKey(overrides: Partial<KeyRecord> = {}): KeyRecord {
  const id = overrides.id ?? `key_${randomUUID()}`;
  return {
    id,
    hash: randomUUID().replace(/-/g, "").repeat(2),
    masked: "mm_abcd…wxyz",
    name: "test",
    createdAt: 1_700_000_000_000,
    expiresAt: null,
    revokedAt: null,
    balanceNano: 0,
    limits: {},
    models: null,
    metadata: {},
    ...overrides,
  };
}

export function makeUsage(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id: `gen_${randomUUID()}`,
    keyId: null,
    endpoint: "/chat/completions",
    requestedModel: "mock/echo",
    model: "mock/echo",
    provider: "mock",
    attempts: [{ provider: "mock", model: "echo", status: 200, errorCode: null, latencyMs: 5, retries: 0, startedAt: 1_700_000_000_000 }],
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNano: 0,
    ttftMs: 3,
    latencyMs: 9,
    status: 200,
    errorCode: null,
    stream: false,
    cancelled: false,
    user: null,
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

/** Puts a key with `balanceNano` of credit (through credit(), so the audit trail is real). */
export async function keyWithBalance(store: Store, balanceNano: number | null): Promise<KeyRecord> {
  const key = makeKey({ balanceNano: balanceNano === null ? null : 0 });
  await store.insertKey(key);
  if (balanceNano) await store.credit({ id: `cr_${randomUUID()}`, keyId: key.id, amountNano: balanceNano, reason: "test", createdAt: 1 });
  return key;
}

const NOW = 1_700_000_000_000;

/**
 * The Store contract: every store (memory, SQLite, Redis + PostgreSQL) runs
 * this same suite against a real backend.
 */
export function runStoreContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void> = (s) => s.close()): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
      await store.init();
      await store.init(); // migrations are idempotent
    });
    afterAll(async () => {
      await dispose(store);
    });

    it("inserts, finds, lists and updates keys", async () => {
      const a = makeKey({ createdAt: NOW + 1, limits: { requestsPerMinute: 5 }, models: ["a/b"], metadata: { team: "x" }, balanceNano: null });
      await store.insertKey(a);
      expect(await store.getKey(a.id)).toEqual(a);
      expect(await store.findKeyByHash(a.hash)).toEqual(a);
      expect(await store.findKeyByHash("0".repeat(64))).toBeUndefined();
      expect(await store.getKey("key_missing")).toBeUndefined();
      await expect(store.insertKey({ ...a, id: `key_${randomUUID()}` })).rejects.toThrow();

      const updated = await store.updateKey(a.id, { revokedAt: NOW + 5, name: "renamed", models: null });
      expect(updated).toMatchObject({ revokedAt: NOW + 5, name: "renamed", models: null, limits: { requestsPerMinute: 5 } });
      expect(await store.updateKey("key_missing", { name: "x" })).toBeUndefined();

      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const k = makeKey({ createdAt: NOW + 100 + i });
        ids.add(k.id);
        await store.insertKey(k);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listKeys({ limit: 2, cursor });
        expect(page.keys.length).toBeLessThanOrEqual(2);
        seen.push(...page.keys.map((k) => k.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of ids) expect(seen).toContain(id);
      await expect(store.listKeys({ cursor: "garbage" })).rejects.toMatchObject({ status: 400 });
    });

    it("credits with an audit trail, idempotent on the credit id", async () => {
      const key = await keyWithBalance(store, 0);
      const credit = { id: `cr_${randomUUID()}`, keyId: key.id, amountNano: 5_000, reason: "top-up", createdAt: NOW };
      expect(await store.credit(credit)).toEqual({ balanceNano: 5_000 });
      expect(await store.credit(credit)).toEqual({ balanceNano: 5_000 });
      expect(await store.credit({ ...credit, id: `cr_${randomUUID()}`, amountNano: -2_000, reason: "refund", createdAt: NOW + 1 })).toEqual({ balanceNano: 3_000 });
      const audit = await store.listCredits(key.id);
      expect(audit.map((c) => [c.amountNano, c.reason])).toEqual([
        [5_000, "top-up"],
        [-2_000, "refund"],
      ]);
      expect((await store.getKey(key.id))?.balanceNano).toBe(3_000);
    });

    it("reserves within the balance, settles to the real cost and releases the rest", async () => {
      const key = await keyWithBalance(store, 1_000);
      const big = await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 1_001, expiresAt: NOW + 60_000 }, NOW);
      expect(big).toEqual({ ok: false, availableNano: 1_000 });

      const usage = makeUsage({ keyId: key.id, costNano: 250 });
      const held = await store.reserve({ id: usage.id, keyId: key.id, amountNano: 600, expiresAt: NOW + 60_000, pending: makeUsage({ id: usage.id, keyId: key.id, status: 0, errorCode: PENDING_ERROR_CODE }) }, NOW);
      expect(held).toEqual({ ok: true, availableNano: 400 });
      expect((await store.getUsage(usage.id))?.errorCode).toBe(PENDING_ERROR_CODE);
      expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 401, expiresAt: NOW + 60_000 }, NOW)).ok).toBe(false);

      await store.settle(usage.id, usage);
      expect((await store.getKey(key.id))?.balanceNano).toBe(750);
      expect(await store.getUsage(usage.id)).toEqual(usage);
      // Idempotent: a second settle (a retry, a duplicate finish) charges nothing.
      await store.settle(usage.id, usage);
      await store.settle(null, { ...usage, costNano: 999 });
      expect((await store.getKey(key.id))?.balanceNano).toBe(750);
      expect((await store.getUsage(usage.id))?.costNano).toBe(250);
      expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 750, expiresAt: NOW + 60_000 }, NOW)).ok).toBe(true);
    });

    it("never takes a balance below zero, and meters nothing for unlimited or unknown keys at 0", async () => {
      const key = await keyWithBalance(store, 100);
      await store.settle(null, makeUsage({ keyId: key.id, costNano: 500 }));
      expect((await store.getKey(key.id))?.balanceNano).toBe(0);
      expect(await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 0, expiresAt: NOW + 1 }, NOW)).toEqual({ ok: true, availableNano: 0 });

      const unlimited = await keyWithBalance(store, null);
      expect(await store.reserve({ id: `r_${randomUUID()}`, keyId: unlimited.id, amountNano: 10 ** 12, expiresAt: NOW + 1 }, NOW)).toEqual({ ok: true, availableNano: null });
      await store.settle(null, makeUsage({ keyId: unlimited.id, costNano: 500 }));
      expect((await store.getKey(unlimited.id))?.balanceNano).toBeNull();

      expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: "static_abc", amountNano: 0, expiresAt: NOW + 1 }, NOW)).ok).toBe(true);
      expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: "static_abc", amountNano: 1, expiresAt: NOW + 1 }, NOW)).ok).toBe(false);
      expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: null, amountNano: 0, expiresAt: NOW + 1 }, NOW)).ok).toBe(true);
    });

    it("a reservation made again under the same id replaces the hold, never counts twice", async () => {
      const key = await keyWithBalance(store, 1_000);
      const id = `r_${randomUUID()}`;
      expect(await store.reserve({ id, keyId: key.id, amountNano: 600, expiresAt: NOW + 60_000 }, NOW)).toEqual({ ok: true, availableNano: 400 });
      expect((await store.reserve({ id, keyId: key.id, amountNano: 300, expiresAt: NOW + 60_000 }, NOW)).ok).toBe(true);
      expect(await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 400, expiresAt: NOW + 60_000 }, NOW)).toEqual({ ok: true, availableNano: 300 });
      expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 301, expiresAt: NOW + 60_000 }, NOW)).ok).toBe(false);
    });

    it("charges issued together past the balance take it to zero, and every record keeps its cost", async () => {
      const key = await keyWithBalance(store, 1_000);
      const records = Array.from({ length: 5 }, () => makeUsage({ keyId: key.id, costNano: 300 }));
      await Promise.all(records.map((r) => store.settle(null, r)));
      expect((await store.getKey(key.id))?.balanceNano).toBe(0);
      expect(await store.sumUsage(key.id, 0)).toMatchObject({ requests: 5, costNano: 1_500 });
    });

    it("reconciles expired reservations: hold released, pending record marked abandoned", async () => {
      const T = NOW + 500_000_000;
      await store.reconcile(T); // drop what earlier tests left behind
      const key = await keyWithBalance(store, 1_000);
      const crashed = makeUsage({ keyId: key.id, status: 0, errorCode: PENDING_ERROR_CODE, costNano: 0 });
      const live = makeUsage({ keyId: key.id, status: 0, errorCode: PENDING_ERROR_CODE });
      await store.reserve({ id: crashed.id, keyId: key.id, amountNano: 700, expiresAt: T + 1_000, pending: crashed }, T);
      await store.reserve({ id: live.id, keyId: key.id, amountNano: 200, expiresAt: T + 100_000, pending: live }, T);
      expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 101, expiresAt: T + 1 }, T)).ok).toBe(false);

      expect(await store.reconcile(T + 999)).toBe(0);
      expect(await store.reconcile(T + 1_000)).toBeGreaterThanOrEqual(1);
      expect(await store.reconcile(T + 1_000)).toBe(0);
      expect((await store.getUsage(crashed.id))?.errorCode).toBe(ABANDONED_ERROR_CODE);
      expect((await store.getUsage(live.id))?.errorCode).toBe(PENDING_ERROR_CODE);
      expect((await store.getKey(key.id))?.balanceNano).toBe(1_000);
      expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 800, expiresAt: T + 1 }, T + 1_000)).ok).toBe(true);

      // A late settle (the process was slow, not dead) still records and charges.
      await store.settle(crashed.id, { ...crashed, status: 200, errorCode: null, costNano: 50 });
      expect((await store.getUsage(crashed.id))?.status).toBe(200);
      expect((await store.getKey(key.id))?.balanceNano).toBe(950);
    });

    it("settle replaces a pending record kept under another id", async () => {
      const key = await keyWithBalance(store, 1_000);
      const pending = makeUsage({ keyId: key.id, status: 0, errorCode: PENDING_ERROR_CODE });
      await store.reserve({ id: pending.id, keyId: key.id, amountNano: 100, expiresAt: NOW + 1_000, pending }, NOW);
      const final = makeUsage({ keyId: key.id, costNano: 10 });
      await store.settle(pending.id, final);
      expect(await store.getUsage(pending.id)).toBeUndefined();
      expect((await store.getUsage(final.id))?.costNano).toBe(10);
    });

    it("never overspends under 500 concurrent reserve + settle on one key", async () => {
      const amount = 1_000;
      const balance = 137 * amount + 400;
      const key = await keyWithBalance(store, balance);
      const results = await Promise.all(
        Array.from({ length: 500 }, async () => {
          const usage = makeUsage({ keyId: key.id, costNano: amount, createdAt: NOW });
          const held = await store.reserve({ id: usage.id, keyId: key.id, amountNano: amount, expiresAt: NOW + 60_000, pending: { ...usage, status: 0, errorCode: PENDING_ERROR_CODE, costNano: 0 } }, NOW);
          if (!held.ok) return { usage, ok: false };
          await store.settle(usage.id, usage);
          return { usage, ok: true };
        }),
      );
      const settled = results.filter((r) => r.ok);
      expect(settled.length).toBe(137);
      expect(results.length - settled.length).toBe(500 - 137);
      const after = await store.getKey(key.id);
      expect(after?.balanceNano).toBe(400);
      const sum = await store.sumUsage(key.id, 0);
      expect(sum).toMatchObject({ requests: 137, costNano: 137 * amount });
      for (const r of settled) expect((await store.getUsage(r.usage.id))?.costNano).toBe(amount);
    });

    it("keeps charges equal to recorded costs when costs vary below the hold", async () => {
      const balance = 50_000;
      const key = await keyWithBalance(store, balance);
      const outcomes = await Promise.all(
        Array.from({ length: 500 }, async (_, i) => {
          const cost = (i * 7919) % 1_000;
          const usage = makeUsage({ keyId: key.id, costNano: cost });
          const held = await store.reserve({ id: usage.id, keyId: key.id, amountNano: 1_000, expiresAt: NOW + 60_000 }, NOW);
          if (!held.ok) return 0;
          await store.settle(usage.id, usage);
          return cost;
        }),
      );
      const charged = outcomes.reduce((a, b) => a + b, 0);
      const after = (await store.getKey(key.id))?.balanceNano ?? -1;
      expect(after).toBeGreaterThanOrEqual(0);
      expect(balance - after).toBe(charged);
      expect((await store.sumUsage(key.id, 0)).costNano).toBe(charged);
      // Every refusal happened because the free balance could not cover a hold.
      expect(after).toBeLessThan(1_000 * 500);
    });

    it("filters and pages the usage log", async () => {
      const keyA = `key_${randomUUID()}`;
      const keyB = `key_${randomUUID()}`;
      const base = NOW + 10_000_000;
      const records = Array.from({ length: 25 }, (_, i) =>
        makeUsage({ keyId: i % 2 === 0 ? keyA : keyB, requestedModel: i % 3 === 0 ? "x/one" : "x/two", model: i % 3 === 0 ? "x/one" : "x/two-served", createdAt: base + Math.floor(i / 2) * 1_000, costNano: i }),
      );
      for (const r of records) await store.settle(null, r);

      const walk = async (filter: Parameters<Store["listUsage"]>[0]) => {
        const out: UsageRecord[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listUsage({ ...filter, cursor });
          expect(page.records.length).toBeLessThanOrEqual(filter.limit ?? 50);
          out.push(...page.records);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return out;
      };
      const all = await walk({ keyId: keyA, limit: 4 });
      expect(all.map((r) => r.id).sort()).toEqual(records.filter((r) => r.keyId === keyA).map((r) => r.id).sort());
      for (let i = 1; i < all.length; i++) {
        const prev = all[i - 1]!;
        const cur = all[i]!;
        expect(prev.createdAt > cur.createdAt || (prev.createdAt === cur.createdAt && prev.id > cur.id)).toBe(true);
      }
      const byModel = await walk({ keyId: keyB, model: "x/two-served", limit: 3 });
      expect(byModel.length).toBe(records.filter((r) => r.keyId === keyB && r.model === "x/two-served").length);
      const byRequested = await walk({ model: "x/one", from: base, to: base + 1_000_000 });
      expect(byRequested.length).toBe(records.filter((r) => r.requestedModel === "x/one").length);
      const window = await walk({ keyId: keyA, from: base + 2_000, to: base + 5_000 });
      expect(window.map((r) => r.createdAt).sort()).toEqual(records.filter((r) => r.keyId === keyA && r.createdAt >= base + 2_000 && r.createdAt < base + 5_000).map((r) => r.createdAt).sort());
      // A window walked in pages (each cursor inside it), and a cursor newer than `to` (from another walk): `to` still holds.
      const windowPaged = await walk({ keyId: keyA, from: base + 2_000, to: base + 9_000, limit: 2 });
      expect(windowPaged.map((r) => r.id)).toEqual(all.filter((r) => r.createdAt >= base + 2_000 && r.createdAt < base + 9_000).map((r) => r.id));
      const newest = await store.listUsage({ keyId: keyA, limit: 1 });
      const before = await store.listUsage({ keyId: keyA, to: base + 3_000, cursor: newest.nextCursor! });
      expect(before.records.map((r) => r.id)).toEqual(all.filter((r) => r.createdAt < base + 3_000).map((r) => r.id));
      expect(await store.sumUsage(keyA, base + 6_000)).toEqual({
        requests: records.filter((r) => r.keyId === keyA && r.createdAt >= base + 6_000).length,
        costNano: records.filter((r) => r.keyId === keyA && r.createdAt >= base + 6_000).reduce((a, r) => a + r.costNano, 0),
        tokens: records.filter((r) => r.keyId === keyA && r.createdAt >= base + 6_000).length * 15,
      });
      await expect(store.listUsage({ cursor: "nope" })).rejects.toMatchObject({ status: 400 });
    });

    it("counts in fixed windows", async () => {
      const name = `rpm:${randomUUID()}`;
      const t = 1_700_000_080_000; // 40 s into the minute starting at 1_700_000_040_000
      expect(await store.incrementWindow(name, 60_000, 1, t)).toEqual({ total: 1, resetAt: 1_700_000_100_000 });
      expect(await store.incrementWindow(name, 60_000, 5, t + 19_999)).toEqual({ total: 6, resetAt: 1_700_000_100_000 });
      expect(await store.incrementWindow(name, 60_000, 0, t + 19_999)).toEqual({ total: 6, resetAt: 1_700_000_100_000 });
      expect(await store.incrementWindow(name, 60_000, -2, t + 19_999)).toEqual({ total: 4, resetAt: 1_700_000_100_000 });
      expect(await store.incrementWindow(name, 60_000, 1, t + 20_000)).toEqual({ total: 1, resetAt: 1_700_000_160_000 });
      const counts = await Promise.all(Array.from({ length: 50 }, () => store.incrementWindow(name, 60_000, 1, t + 30_000)));
      expect(counts.map((c) => c.total).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    });

    it("hands out at most `max` concurrency slots, freed by release or by lease expiry", async () => {
      const name = `conc:${randomUUID()}`;
      const leases = await Promise.all(Array.from({ length: 5 }, () => store.acquireSlot(name, 3, 10_000, NOW)));
      const granted = leases.filter((l): l is string => l !== null);
      expect(granted.length).toBe(3);
      expect(new Set(granted).size).toBe(3);
      await store.releaseSlot(name, granted[0]);
      await store.releaseSlot(name, "not-a-lease");
      expect(await store.acquireSlot(name, 3, 10_000, NOW)).not.toBeNull();
      expect(await store.acquireSlot(name, 3, 10_000, NOW)).toBeNull();
      // A crashed holder's lease runs out.
      expect(await store.acquireSlot(name, 3, 10_000, NOW + 10_000)).not.toBeNull();
    });

    it("keeps small state with a TTL", async () => {
      const name = `cooldown:${randomUUID()}`;
      expect(await store.getState(name)).toBeUndefined();
      await store.setState(name, JSON.stringify({ until: 5 }), 150);
      expect(await store.getState(name)).toBe('{"until":5}');
      await store.setState(name, "2", 150);
      expect(await store.getState(name)).toBe("2");
      await new Promise((r) => setTimeout(r, 250));
      expect(await store.getState(name)).toBeUndefined();
    });
  });
}
