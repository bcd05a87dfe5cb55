import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createIdGenerator } from "../../src/core/create-id-generator.js";
import { sqliteMigrations } from "../../src/stores/sqlite-migrations.js";
import { createSqliteStore } from "../../src/stores/sqlite-store.js";
import { ABANDONED_ERROR_CODE, PENDING_ERROR_CODE } from "../../src/stores/store.js";
import { keyWithBalance, makeUsage } from "./store-contract.js";
import { runStoreContract } from "./store-contract.js";

const NOW = 1_700_000_000_000;

const dir = mkdtempSync(join(tmpdir(), "modelmux-sqlite-"));

/** Frames written to the WAL since the last call, read through another connection (then the WAL is emptied). */
function walFramesSince(observer: Database.Database): number {
  const frames = (observer.pragma("wal_checkpoint(PASSIVE)") as Array<{ log: number }>)[0]!.log;
  observer.pragma("wal_checkpoint(TRUNCATE)");
  return frames;
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Longer than the writeBehindMs (20-30 ms) of the tests below, with room: their writes are in the file after it. */
const pastWriteBehind = () => new Promise((resolve) => setTimeout(resolve, 60));

/** A store on its own file in the test directory, initialised. */
async function openStore(file: string, options: Parameters<typeof createSqliteStore>[1] = {}) {
  const path = join(dir, file);
  const store = createSqliteStore(path, options);
  await store.init();
  return { path, store };
}

/** What another process does to the file: a second store on it, writing through at once, closed after `work`. */
async function fromAnotherStore<T>(path: string, work: (other: ReturnType<typeof createSqliteStore>) => Promise<T>): Promise<T> {
  const other = createSqliteStore(path, { writeBehindMs: 0 });
  await other.init();
  try {
    return await work(other);
  } finally {
    await other.close();
  }
}

runStoreContract("SQLite file", async () => createSqliteStore(join(dir, "contract.db")));
runStoreContract("SQLite :memory:", async () => createSqliteStore(":memory:"));
runStoreContract("SQLite file, every write committed before it resolves", async () => createSqliteStore(join(dir, "contract-through.db"), { writeBehindMs: 0 }));

describe("SQLite store", () => {
  it("keeps keys and balances across a reopen, and records its schema version", async () => {
    const path = join(dir, "reopen.db");
    const first = createSqliteStore(path);
    await first.init();
    const key = await keyWithBalance(first, 1234);
    await first.close();
    const second = createSqliteStore(path);
    await second.init();
    expect((await second.getKey(key.id))?.balanceNano).toBe(1234);
    expect((await second.listCredits(key.id)).length).toBe(1);
    await second.close();
  });
});

describe("SQLite store: group commit", () => {
  it("checks each write issued in one tick on its own, in order, against the ones before it", async () => {
    const store = createSqliteStore(":memory:");
    await store.init();
    const key = await keyWithBalance(store, 5_000);
    // 10 holds of 1_000 on a balance of 5_000, issued together: exactly the first five are admitted.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.reserve({ id: `r_${i}_${randomUUID()}`, keyId: key.id, amountNano: 1_000, expiresAt: NOW + 60_000 }, NOW)),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, false, false, false, false, false]);
    expect(results.map((r) => r.availableNano)).toEqual([4_000, 3_000, 2_000, 1_000, 0, 0, 0, 0, 0, 0]);
    await store.close();
  });

  it("commits the writes issued together in one transaction (far fewer WAL frames than one commit each)", async () => {
    const path = join(dir, "group-commit.db");
    const store = createSqliteStore(path, { writeBehindMs: 0, checkpointIntervalMs: 0 });
    await store.init();
    const key = await keyWithBalance(store, 10 ** 9);
    const observer = new Database(path);
    const walFrames = () => walFramesSince(observer);
    walFrames();
    for (let i = 0; i < 20; i++) await store.settle(null, makeUsage({ keyId: key.id, costNano: 1 }));
    const oneByOne = walFrames();
    await Promise.all(Array.from({ length: 20 }, () => store.settle(null, makeUsage({ keyId: key.id, costNano: 1 }))));
    const together = walFrames();
    expect(oneByOne).toBeGreaterThanOrEqual(20);
    expect(together * 4).toBeLessThan(oneByOne);
    expect((await store.getKey(key.id))?.balanceNano).toBe(10 ** 9 - 40);
    observer.close();
    await store.close();
  });

  it("a write that fails inside a batch fails alone: the others of the batch commit", async () => {
    const store = createSqliteStore(":memory:", { writeBehindMs: 0 });
    await store.init();
    const key = await keyWithBalance(store, 10_000);
    const good = Array.from({ length: 5 }, () => makeUsage({ keyId: key.id, costNano: 100 }));
    // requested_model is NOT NULL: this settle throws inside the transaction.
    const bad = { ...makeUsage({ keyId: key.id, costNano: 100 }), requestedModel: null as unknown as string };
    const outcomes = await Promise.allSettled([
      ...good.slice(0, 2).map((u) => store.settle(null, u)),
      store.settle(null, bad),
      ...good.slice(2).map((u) => store.settle(null, u)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    for (const u of good) expect(await store.getUsage(u.id)).toEqual(u);
    expect(await store.getUsage(bad.id)).toBeUndefined();
    expect((await store.getKey(key.id))?.balanceNano).toBe(10_000 - 5 * 100);
    await store.close();
  });

  it("when another process holds the file past busy_timeout, the batch fails at once (no rerun one by one)", async () => {
    const path = join(dir, "busy.db");
    const store = createSqliteStore(path, { busyTimeoutMs: 300, writeBehindMs: 0 });
    await store.init();
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    const started = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => store.settle(null, makeUsage())));
    expect(outcomes.every((o) => o.status === "rejected" && /locked|busy/i.test(String(o.reason)))).toBe(true);
    expect(Date.now() - started).toBeLessThan(900); // one wait of 300 ms, not one per write
    other.exec("ROLLBACK");
    other.close();
    const usage = makeUsage();
    await store.settle(null, usage);
    expect(await store.getUsage(usage.id)).toEqual(usage);
    await store.close();
  });

  it("commits what was issued before close()", async () => {
    const path = join(dir, "close-flush.db");
    const first = createSqliteStore(path, { writeBehindMs: 60_000 });
    await first.init();
    const usage = makeUsage();
    const settled = first.settle(null, usage);
    await first.close();
    await settled;
    const second = createSqliteStore(path);
    await second.init();
    expect(await second.getUsage(usage.id)).toEqual(usage);
    await expect(second.close().then(() => second.settle(null, makeUsage()))).rejects.toThrow(/closed/);
  });
});

describe("SQLite store: writes behind (settles and holds committed with the next ones)", () => {
  const hold = (keyId: string, amountNano: number) => ({ id: `r_${randomUUID()}`, keyId, amountNano, expiresAt: NOW + 60_000 });

  it("requests one after another share commits: far fewer WAL frames than a commit per write", async () => {
    const frames: Record<string, number> = {};
    for (const writeBehindMs of [0, 50]) {
      const path = join(dir, `behind-${writeBehindMs}.db`);
      const store = createSqliteStore(path, { writeBehindMs, checkpointIntervalMs: 0 });
      await store.init();
      const key = await keyWithBalance(store, 10 ** 9);
      const observer = new Database(path);
      walFramesSince(observer);
      for (let i = 0; i < 20; i++) {
        const r = hold(key.id, 1_000);
        expect((await store.reserve(r, NOW)).ok).toBe(true);
        await store.settle(r.id, makeUsage({ keyId: key.id, costNano: 10 }));
      }
      await new Promise((resolve) => setTimeout(resolve, 80));
      frames[writeBehindMs] = walFramesSince(observer);
      observer.close();
      expect((await store.getKey(key.id))?.balanceNano).toBe(10 ** 9 - 200);
      await store.close();
    }
    expect(frames[0]).toBeGreaterThanOrEqual(40);
    expect(frames[50]! * 5).toBeLessThan(frames[0]!);
  });

  it("the balance check counts holds and charges this process has not written yet", async () => {
    const store = createSqliteStore(":memory:", { writeBehindMs: 60_000 });
    await store.init();
    const key = await keyWithBalance(store, 5_000);
    const first = hold(key.id, 3_000);
    expect(await store.reserve(first, NOW)).toEqual({ ok: true, availableNano: 2_000 });
    expect(await store.reserve(hold(key.id, 3_000), NOW)).toEqual({ ok: false, availableNano: 2_000 });
    // Settling releases the hold and charges the cost, both before anything reaches the file.
    await store.settle(first.id, makeUsage({ id: first.id, keyId: key.id, costNano: 1_500 }));
    expect(await store.reserve(hold(key.id, 3_500), NOW)).toEqual({ ok: true, availableNano: 0 });
    expect(await store.reserve(hold(key.id, 1), NOW)).toEqual({ ok: false, availableNano: 0 });
    // A read flushes first: it sees every write issued before it.
    expect((await store.getKey(key.id))?.balanceNano).toBe(3_500);
    expect(await store.reserve(hold(key.id, 1), NOW)).toEqual({ ok: false, availableNano: 0 });
    await store.close();
  });

  it("a request that ends inside the window never writes its hold; the result is the same as when it did", async () => {
    const { path, store } = await openStore("behind-pair.db", { writeBehindMs: 60_000, checkpointIntervalMs: 0 });
    const key = await keyWithBalance(store, 10_000);
    const observer = new Database(path);
    const frames = () => walFramesSince(observer);
    const run = async (flushHoldFirst: boolean) => {
      frames();
      const r = hold(key.id, 1_000);
      const pending = makeUsage({ id: r.id, keyId: key.id, status: 0, errorCode: PENDING_ERROR_CODE, costNano: 0 });
      await store.reserve({ ...r, pending }, NOW);
      if (flushHoldFirst) expect(await store.getUsage(r.id)).toEqual(pending); // a read writes the hold out
      const final = { ...pending, status: 200, errorCode: null, costNano: 250 };
      await store.settle(r.id, final);
      expect(await store.getUsage(r.id)).toEqual(final);
      expect(observer.prepare("SELECT COUNT(*) FROM reservations").pluck().get()).toBe(0);
      return frames();
    };
    const written = await run(true);
    const skipped = await run(false);
    expect(skipped).toBeLessThan(written);
    expect((await store.getKey(key.id))?.balanceNano).toBe(10_000 - 500);
    observer.close();
    await store.close();
  });

  it("another connection sees the writes within writeBehindMs", async () => {
    const { path, store } = await openStore("behind-visible.db", { writeBehindMs: 20 });
    const key = await keyWithBalance(store, 1_000);
    const usage = makeUsage({ keyId: key.id, costNano: 300 });
    await store.settle(null, usage);
    const other = new Database(path, { readonly: true });
    const balance = () => (other.prepare("SELECT balance_nano FROM keys WHERE id = ?").pluck().get(key.id) as number);
    expect(balance()).toBe(1_000);
    await pastWriteBehind();
    expect(balance()).toBe(700);
    other.close();
    await store.close();
  });

  it("what another process changes in the file counts within writeBehindMs", async () => {
    const { path, store } = await openStore("behind-other-credit.db", { writeBehindMs: 30 });
    const key = await keyWithBalance(store, 1_000);
    expect((await store.reserve(hold(key.id, 1_000), NOW)).ok).toBe(true);
    expect((await store.reserve(hold(key.id, 1_000), NOW)).ok).toBe(false);
    await fromAnotherStore(path, (other) => other.credit({ id: randomUUID(), keyId: key.id, amountNano: 5_000, reason: "top-up", createdAt: NOW }));
    await pastWriteBehind();
    expect(await store.reserve(hold(key.id, 5_000), NOW)).toEqual({ ok: true, availableNano: 0 });
    await store.close();
  });

  /** Counts the store's reads of a key's funds (its statement selects `AS balance`) while `work` runs. */
  async function countFundsReads(work: () => Promise<void>): Promise<number> {
    const probe = new Database(":memory:");
    const Statement = Object.getPrototypeOf(probe.prepare("SELECT 1")) as { get: (...args: unknown[]) => unknown };
    probe.close();
    const get = Statement.get;
    let reads = 0;
    Statement.get = function (this: { source: string }, ...args: unknown[]) {
      if (this.source.includes("AS balance")) reads++;
      return get.apply(this, args);
    };
    try {
      await work();
    } finally {
      Statement.get = get;
    }
    return reads;
  }

  it("keeps a key's funds across its own commits and past writeBehindMs; reads them again when another connection commits", async () => {
    const { path, store } = await openStore("behind-funds-kept.db", { writeBehindMs: 20 });
    const key = await keyWithBalance(store, 10_000);
    const reads = await countFundsReads(async () => {
      const first = hold(key.id, 1_000);
      expect(await store.reserve(first, NOW)).toEqual({ ok: true, availableNano: 9_000 });
      await store.settle(first.id, makeUsage({ id: first.id, keyId: key.id, costNano: 600 }));
      await pastWriteBehind(); // committed: the charge is in the file, and the figures kept here have it too
      expect(await store.reserve(hold(key.id, 1_000), NOW)).toEqual({ ok: true, availableNano: 8_400 });
      await pastWriteBehind();
      expect(await store.reserve(hold(key.id, 8_400), NOW)).toEqual({ ok: true, availableNano: 0 });
      expect((await store.reserve(hold(key.id, 1), NOW)).ok).toBe(false);
    });
    expect(reads).toBe(1);
    await pastWriteBehind();
    await fromAnotherStore(path, (other) => other.credit({ id: randomUUID(), keyId: key.id, amountNano: 5_000, reason: "top-up", createdAt: NOW }));
    const after = await countFundsReads(async () => {
      await pastWriteBehind();
      expect(await store.reserve(hold(key.id, 5_000), NOW)).toEqual({ ok: true, availableNano: 0 });
    });
    expect(after).toBe(1);
    // What it kept is what the file says: a fresh store on the file agrees.
    await pastWriteBehind();
    await fromAnotherStore(path, async (other) => expect((await other.reserve(hold(key.id, 1), NOW)).ok).toBe(false));
    await store.close();
  });

  it("funds kept in memory stop counting a hold once it expires (the store's clock)", async () => {
    const { store } = await openStore("behind-funds-expiry.db", { writeBehindMs: 20 });
    const key = await keyWithBalance(store, 10_000);
    expect(await store.reserve({ id: "r_short", keyId: key.id, amountNano: 4_000, expiresAt: NOW + 1_000 }, NOW)).toEqual({ ok: true, availableNano: 6_000 });
    await pastWriteBehind();
    expect(await store.reserve(hold(key.id, 1_000), NOW + 500)).toEqual({ ok: true, availableNano: 5_000 });
    // Past its expiry the hold no longer counts, as when the figures are read from the file.
    expect(await store.reserve(hold(key.id, 1_000), NOW + 2_000)).toEqual({ ok: true, availableNano: 8_000 });
    await store.close();
  });

  it("releasing a hold that had expired when the funds were read does not take it off twice", async () => {
    const { path, store } = await openStore("behind-funds-expired-release.db", { writeBehindMs: 20 });
    const key = await keyWithBalance(store, 10_000);
    await store.reserve({ id: "r_late", keyId: key.id, amountNano: 4_000, expiresAt: NOW + 1_000 }, NOW);
    await pastWriteBehind();
    // Read after its expiry: the figures leave it out already.
    expect(await store.reserve(hold(key.id, 1_000), NOW + 2_000)).toEqual({ ok: true, availableNano: 9_000 });
    // Its request settles late (free): the release must not make the key look 4,000 richer.
    await store.settle("r_late", makeUsage({ id: "r_late", keyId: key.id, costNano: 0 }));
    await pastWriteBehind();
    expect(await store.reserve(hold(key.id, 1_000), NOW + 2_000)).toEqual({ ok: true, availableNano: 8_000 });
    await pastWriteBehind();
    await fromAnotherStore(path, async (other) => expect(await other.reserve(hold(key.id, 8_000), NOW + 2_000)).toEqual({ ok: true, availableNano: 0 }));
    await store.close();
  });

  it("rate-limit windows: exact in this process at once, in the file within writeBehindMs, and what another process counts is seen", async () => {
    const { path, store } = await openStore("behind-windows.db", { writeBehindMs: 20 });
    const t = 1_700_000_080_000;
    const totals = [];
    for (let i = 0; i < 3; i++) totals.push((await store.incrementWindow("rpm:k", 60_000, 1, t)).total);
    expect(totals).toEqual([1, 2, 3]);
    const observer = new Database(path, { readonly: true });
    const inFile = () => (observer.prepare("SELECT total FROM windows WHERE name = ?").pluck().get("rpm:k") as number | undefined) ?? 0;
    expect(inFile()).toBe(0);
    await pastWriteBehind();
    expect(inFile()).toBe(3);

    expect(await fromAnotherStore(path, async (other) => (await other.incrementWindow("rpm:k", 60_000, 5, t)).total)).toBe(8);
    await pastWriteBehind();
    expect((await store.incrementWindow("rpm:k", 60_000, 1, t)).total).toBe(9);
    // The next window starts over, also while the last one's writes are still behind.
    expect((await store.incrementWindow("rpm:k", 60_000, 2, t + 20_000)).total).toBe(2);
    await pastWriteBehind();
    expect(inFile()).toBe(2);
    observer.close();
    await store.close();
  });

  it("concurrency slots: exact in this process at once, in the file within writeBehindMs; a release frees its slot at once", async () => {
    const { path, store } = await openStore("behind-slots.db", { writeBehindMs: 20 });
    const observer = new Database(path, { readonly: true });
    const rows = () => observer.prepare("SELECT COUNT(*) FROM slots WHERE name = ?").pluck().get("conc:k") as number;
    const a = await store.acquireSlot("conc:k", 2, 60_000, NOW);
    const b = await store.acquireSlot("conc:k", 2, 60_000, NOW);
    expect(a && b).toBeTruthy();
    expect(await store.acquireSlot("conc:k", 2, 60_000, NOW)).toBeNull();
    expect(rows()).toBe(0);
    await pastWriteBehind();
    expect(rows()).toBe(2);
    // Released while still in the file: free here at once, gone from the file with the next commit.
    await store.releaseSlot("conc:k", a!);
    const c = await store.acquireSlot("conc:k", 2, 60_000, NOW);
    expect(c).not.toBeNull();
    expect(await store.acquireSlot("conc:k", 2, 60_000, NOW)).toBeNull();
    // Released before it was written: it never reaches the file.
    await store.releaseSlot("conc:k", c!);
    await pastWriteBehind();
    expect(observer.prepare("SELECT lease FROM slots WHERE name = ?").pluck().all("conc:k")).toEqual([b]);
    // What another process holds counts too.
    expect(await fromAnotherStore(path, (other) => other.acquireSlot("conc:k", 2, 60_000, NOW))).not.toBeNull();
    expect(await store.acquireSlot("conc:k", 2, 60_000, NOW)).toBeNull();
    observer.close();
    await store.close();
  });

  it("a failing write behind is reported and fails alone; the others commit", async () => {
    const reported: unknown[] = [];
    const store = createSqliteStore(":memory:", { writeBehindMs: 60_000, onWriteError: (e) => reported.push(e) });
    await store.init();
    const key = await keyWithBalance(store, 10_000);
    const good = Array.from({ length: 4 }, () => makeUsage({ keyId: key.id, costNano: 100 }));
    const bad = { ...makeUsage({ keyId: key.id, costNano: 100 }), requestedModel: null as unknown as string };
    for (const u of [good[0]!, good[1]!, bad, good[2]!, good[3]!]) await store.settle(null, u);
    for (const u of good) expect(await store.getUsage(u.id)).toEqual(u);
    expect(await store.getUsage(bad.id)).toBeUndefined();
    expect(reported).toHaveLength(1);
    expect(String(reported[0])).toMatch(/NOT NULL/);
    expect((await store.getKey(key.id))?.balanceNano).toBe(10_000 - 4 * 100);
    await store.close();
  });

  it("writes behind wait out another process's lock instead of being lost", async () => {
    const { path, store } = await openStore("behind-busy.db", { busyTimeoutMs: 50, writeBehindMs: 10, onWriteError: () => undefined });
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    const usage = makeUsage();
    await store.settle(null, usage);
    await new Promise((resolve) => setTimeout(resolve, 150));
    other.exec("ROLLBACK");
    other.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const reader = new Database(path, { readonly: true });
    expect(reader.prepare("SELECT COUNT(*) FROM usage WHERE id = ?").pluck().get(usage.id)).toBe(1);
    reader.close();
    await store.close();
  });
});

describe("SQLite store: checkpoints from a worker thread", () => {
  it("copies the WAL into the database file off the event loop, and leaves no WAL after close", async () => {
    const path = join(dir, "checkpointer.db");
    const store = createSqliteStore(path, { checkpointIntervalMs: 50, writeBehindMs: 0 });
    await store.init();
    const usage = makeUsage();
    await store.settle(null, usage);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The database file alone (without its WAL) has the row once the thread has checkpointed.
    const copy = join(dir, "checkpointer-copy.db");
    copyFileSync(path, copy);
    const alone = new Database(copy, { readonly: true });
    expect(alone.prepare("SELECT COUNT(*) FROM usage WHERE id = ?").pluck().get(usage.id)).toBe(1);
    alone.close();
    await store.close();
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
  });
});

describe("SQLite store: the WAL under steady writes", () => {
  it("starts over instead of growing, even against a writer that never pauses", { timeout: 30_000 }, async () => {
    const walBytes: Record<string, number> = {};
    for (const [label, options] of [
      ["no checkpoints", { checkpointIntervalMs: 0, walAutocheckpointPages: 0 }],
      ["checkpoint thread", {}],
    ] as const) {
      const path = join(dir, `wal-steady-${label.replace(/ /g, "-")}.db`);
      const store = createSqliteStore(path, { writeBehindMs: 0, ...options });
      await store.init();
      for (let i = 0; i < 3_000; i++) await store.settle(null, makeUsage());
      walBytes[label] = statSync(`${path}-wal`).size;
      await store.close();
    }
    // Default settings. Against a writer that never pauses the thread rarely gets to start the log over;
    // the commit's own backstop (past 4,000 frames) does. (Paced writes, as a server makes them, stay near
    // 2,000 frames: about 10 MB in the bench's soak.)
    expect(walBytes["no checkpoints"]).toBeGreaterThan(40 * 1024 * 1024);
    expect(walBytes["checkpoint thread"]).toBeLessThan(walBytes["no checkpoints"]! * 0.6);
  });
});

describe("SQLite store: the key's running total of holds (migration 3)", () => {
  const heldInvariant = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db
        .prepare("SELECT k.id, k.held_nano AS total, COALESCE((SELECT SUM(amount_nano) FROM reservations r WHERE r.key_id = k.id), 0) AS sum FROM keys k")
        .all() as Array<{ id: string; total: number; sum: number }>;
    } finally {
      db.close();
    }
  };

  it.each([0, 10])("stays equal to the sum of the key's reservations through holds, replaces, settles and reconcile (writeBehindMs %i)", async (writeBehindMs) => {
    const path = join(dir, `held-total-${writeBehindMs}.db`);
    const store = createSqliteStore(path, { writeBehindMs });
    await store.init();
    const key = await keyWithBalance(store, 100_000);
    const ids = Array.from({ length: 30 }, (_, i) => `r_${i}_${randomUUID()}`);
    for (const [i, id] of ids.entries()) {
      expect((await store.reserve({ id, keyId: key.id, amountNano: 1_000, expiresAt: i < 5 ? NOW + 10 : NOW + 60_000 }, NOW)).ok).toBe(true);
    }
    await store.getKey(key.id); // writes what is behind
    // The same id again replaces the hold instead of counting twice.
    await store.reserve({ id: ids[29]!, keyId: key.id, amountNano: 2_000, expiresAt: NOW + 60_000 }, NOW);
    for (const id of ids.slice(10, 20)) await store.settle(id, makeUsage({ id, keyId: key.id, costNano: 100 }));
    expect(await store.reconcile(NOW + 10)).toBe(5);
    await store.getKey(key.id);
    const [row] = heldInvariant(path);
    expect(row).toEqual({ id: key.id, total: 14 * 1_000 + 2_000, sum: 14 * 1_000 + 2_000 });
    // Available: 100_000 - 10 * 100 charged - 16_000 held.
    expect(await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 83_001, expiresAt: NOW + 60_000 }, NOW + 20)).toEqual({ ok: false, availableNano: 83_000 });
    await store.close();
  });

  it("an expired hold stops counting at once, before reconcile removes it", async () => {
    const store = createSqliteStore(":memory:", { writeBehindMs: 0 });
    await store.init();
    const key = await keyWithBalance(store, 1_000);
    await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 800, expiresAt: NOW + 100 }, NOW);
    expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 800, expiresAt: NOW + 60_000 }, NOW + 99)).ok).toBe(false);
    expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 800, expiresAt: NOW + 60_000 }, NOW + 100)).ok).toBe(true);
    await store.close();
  });

  it("a version-2 database gets the totals of its live reservations", async () => {
    const path = join(dir, "v2.db");
    const old = new Database(path);
    old.exec(sqliteMigrations[0]!);
    old.exec(sqliteMigrations[1]!);
    old.pragma("user_version = 2");
    old.prepare("INSERT INTO keys (id, hash, masked, name, created_at, balance_nano, limits, models, metadata) VALUES ('k2', 'h', 'm', 'n', 0, 5000, '{}', 'null', '{}')").run();
    for (const amount of [1_000, 1_500]) old.prepare("INSERT INTO reservations (id, key_id, amount_nano, expires_at) VALUES (?, 'k2', ?, ?)").run(randomUUID(), amount, NOW + 60_000);
    old.close();
    const store = createSqliteStore(path, { writeBehindMs: 0 });
    await store.init();
    expect(heldInvariant(path)).toEqual([{ id: "k2", total: 2_500, sum: 2_500 }]);
    expect(await store.reserve({ id: `r_${randomUUID()}`, keyId: "k2", amountNano: 2_501, expiresAt: NOW + 60_000 }, NOW)).toEqual({ ok: false, availableNano: 2_500 });
    await store.close();
  });
});

describe("SQLite store: pending records on the reservation", () => {
  it("writes the usage row once: nothing in the log until settle, the pending record readable by id meanwhile", async () => {
    const store = createSqliteStore(":memory:");
    await store.init();
    const key = await keyWithBalance(store, 1_000);
    const pending = makeUsage({ keyId: key.id, status: 0, errorCode: PENDING_ERROR_CODE, costNano: 0, createdAt: NOW });
    await store.reserve({ id: pending.id, keyId: key.id, amountNano: 500, expiresAt: NOW + 1_000, pending }, NOW);
    expect(await store.getUsage(pending.id)).toEqual(pending);
    expect((await store.listUsage({ keyId: key.id })).records).toEqual([]);
    const final = { ...pending, status: 200, errorCode: null, costNano: 40 };
    await store.settle(pending.id, final);
    expect((await store.listUsage({ keyId: key.id })).records).toEqual([final]);
    await store.close();
  });

  it("upgrades a version-1 database: its pending usage rows are still reconciled and replaced by settle", async () => {
    const path = join(dir, "v1.db");
    const old = new Database(path);
    old.exec(sqliteMigrations[0]!);
    old.pragma("user_version = 1");
    const insertUsage = old.prepare("INSERT INTO usage (id, key_id, requested_model, model, created_at, cost_nano, total_tokens, settled, record) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)");
    const insertHold = old.prepare("INSERT INTO reservations (id, key_id, amount_nano, expires_at, usage_id) VALUES (?, NULL, 0, ?, ?)");
    const crashed = makeUsage({ status: 0, errorCode: PENDING_ERROR_CODE, createdAt: NOW });
    const slow = makeUsage({ status: 0, errorCode: PENDING_ERROR_CODE, createdAt: NOW });
    for (const [r, expiresAt] of [[crashed, NOW + 1], [slow, NOW + 60_000]] as const) {
      insertUsage.run(r.id, r.keyId, r.requestedModel, r.model, r.createdAt, r.costNano, r.totalTokens, JSON.stringify(r));
      insertHold.run(r.id, expiresAt, r.id);
    }
    old.close();

    const store = createSqliteStore(path);
    await store.init();
    expect(await store.reconcile(NOW + 1)).toBe(1);
    expect((await store.getUsage(crashed.id))?.errorCode).toBe(ABANDONED_ERROR_CODE);
    const final = { ...slow, status: 200, errorCode: null };
    await store.settle(slow.id, final);
    expect(await store.getUsage(slow.id)).toEqual(final);
    await store.close();
  });
});

describe("SQLite store: ascending usage indexes (migration 4)", () => {
  /** Whether each column of an index is descending (PRAGMA index_xinfo, the key columns only). */
  const descending = (db: Database.Database, index: string) =>
    (db.pragma(`index_xinfo(${index})`) as Array<{ name: string | null; desc: number; key: number }>).filter((c) => c.key === 1).map((c) => [c.name, c.desc]);

  it("a settle lands on the indexes' last leaves: few WAL frames a commit, however long the log", async () => {
    const path = join(dir, "ascending-indexes.db");
    const store = createSqliteStore(path, { writeBehindMs: 0, checkpointIntervalMs: 0 });
    await store.init();
    const key = await keyWithBalance(store, 10 ** 12);
    const nextId = createIdGenerator(((t) => () => (t += 3))(NOW));
    let createdAt = NOW;
    // Six requests a commit, as a quiet server's writes behind make them; ids and times as the gateway makes them.
    const commit = () => Promise.all(Array.from({ length: 6 }, () => store.settle(null, makeUsage({ id: nextId("gen"), keyId: key.id, costNano: 1, createdAt: (createdAt += 3) }))));
    for (let i = 0; i < 500; i++) await commit(); // 3,000 rows: both indexes have many leaves
    const observer = new Database(path);
    walFramesSince(observer);
    const commits = 200;
    for (let i = 0; i < commits; i++) await commit();
    const perCommit = walFramesSince(observer) / commits;
    // Measured: 11.5 frames a commit (the table's last leaves and their parent, page 1, the key, a leaf
    // or two of each index); 15.1 with the descending indexes of migrations 1-3, whose first leaves
    // were rebalanced with their full neighbours every few commits.
    expect(perCommit).toBeLessThan(13);
    expect(descending(observer, "usage_by_time")).toEqual([["created_at", 0], ["id", 0]]);
    expect(descending(observer, "usage_by_key")).toEqual([["key_id", 0], ["created_at", 0], ["id", 0]]);
    observer.close();
    await store.close();
  });

  it("a version-3 database gets them, and its usage pages still run newest first across cursors", async () => {
    const path = join(dir, "v3.db");
    const old = new Database(path);
    for (const sql of sqliteMigrations.slice(0, 3)) old.exec(sql);
    old.pragma("user_version = 3");
    const insert = old.prepare("INSERT INTO usage (id, key_id, requested_model, model, created_at, cost_nano, total_tokens, settled, record) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)");
    // Two rows share each time, so the pages also turn on the id.
    const rows = Array.from({ length: 25 }, (_, i) => makeUsage({ id: `gen_${String(i).padStart(2, "0")}`, keyId: i % 2 === 0 ? "k_even" : "k_odd", createdAt: NOW + Math.floor(i / 2) }));
    for (const r of rows) insert.run(r.id, r.keyId, r.requestedModel, r.model, r.createdAt, r.costNano, r.totalTokens, JSON.stringify(r));
    expect(descending(old, "usage_by_time")).toEqual([["created_at", 1], ["id", 1]]);
    old.close();

    const store = createSqliteStore(path);
    await store.init();
    const newestFirst = [...rows].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    for (const filter of [{}, { keyId: "k_even" }]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listUsage({ ...filter, limit: 4, cursor });
        seen.push(...page.records.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(newestFirst.filter((r) => !("keyId" in filter) || r.keyId === filter.keyId).map((r) => r.id));
    }
    await store.close();
    const after = new Database(path, { readonly: true });
    expect(after.pragma("user_version", { simple: true })).toBe(sqliteMigrations.length);
    expect(descending(after, "usage_by_key")).toEqual([["key_id", 0], ["created_at", 0], ["id", 0]]);
    after.close();
  });
});
