import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createAccounts } from "../../src/accounts/create-accounts.js";
import { createMemoryStore } from "../../src/stores/memory-store.js";
import { createRedisPostgresStore } from "../../src/stores/redis-postgres-store.js";
import { createSqliteStore } from "../../src/stores/sqlite-store.js";
import { ABANDONED_ERROR_CODE, type Store } from "../../src/stores/store.js";
import { dropNamespace, POSTGRES_URL, REDIS_URL, uniqueNamespace } from "../stores/shared-store-env.js";
import { bearer, makeModel, usageFor } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "modelmux-accounts-"));
const ns = uniqueNamespace("accounts");
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropNamespace(ns);
});

const stores: Array<[string, () => Store]> = [
  ["memory", () => createMemoryStore()],
  ["SQLite", () => createSqliteStore(join(dir, "accounts.db"))],
  ["Redis + PostgreSQL", () => createRedisPostgresStore({ redis: REDIS_URL, postgres: POSTGRES_URL, ...ns })],
];

describe.each(stores)("Accounts on %s", (_name, open) => {
  it("500 concurrent requests on a key that covers only some: exact 402 count, charges = recorded costs, one record each", { timeout: 60_000 }, async () => {
    const store = open();
    const accounts = createAccounts({ store });
    try {
      const maxCost = 2_000_000; // $0.002 held per request
      const { key, id } = await accounts.keys.create({ credits: 0.25 }); // covers 125
      const principal = await accounts.authenticate(bearer(key));
      const outcomes = await Promise.all(
        Array.from({ length: 500 }, async (_, i) => {
          try {
            const admission = await accounts.admit({ principal, model: makeModel(), maxCostNano: maxCost, estimatedTokens: 50, requestId: `req_${i}`, generationId: `gen_${id}_${i}` });
            await accounts.finish(admission, usageFor(id, { id: `gen_${id}_${i}`, costNano: maxCost, createdAt: Date.now() }));
            return 200;
          } catch (error) {
            return (error as { status: number }).status;
          }
        }),
      );
      expect(outcomes.filter((s) => s === 200).length).toBe(125);
      expect(outcomes.filter((s) => s === 402).length).toBe(375);
      expect((await accounts.keys.get(id))?.balance).toBe(0);
      const body = (await accounts.describeKey(principal)) as { data: { usage: { today: { requests: number; cost: number } } } };
      expect(body.data.usage.today).toMatchObject({ requests: 125, cost: 0.25 });
    } finally {
      await accounts.close();
      await store.close(); // a Store passed in is the host's to close
    }
  });
});

describe("Accounts on SQLite after a crash", () => {
  it.each([
    ["committed before admit returns (writeBehindMs: 0)", 0],
    ["written behind, killed after the default window", 10],
  ])("a SIGKILLed process leaves its pending record; the next start reconciles it and frees the hold: %s", { timeout: 60_000 }, async (_label, writeBehindMs) => {
    const path = join(dir, `crash-${writeBehindMs}.db`);
    const setup = createAccounts({ store: path });
    const { key, id } = await setup.keys.create({ credits: 1 });
    await setup.close();

    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("../stores/children/sqlite-crash-child.ts", import.meta.url)), path, key, "gen_crashed", "300", String(writeBehindMs)], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("admitted") && child.kill("SIGKILL"));
      child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`child exited without being killed`))));
    });
    await new Promise((r) => setTimeout(r, 350)); // the hold's TTL runs out

    const restarted = createAccounts({ store: path });
    try {
      await restarted.ready();
      const principal = await restarted.authenticate(bearer(key));
      expect(await restarted.getGeneration("gen_crashed", principal)).toMatchObject({ keyId: id, status: 0, errorCode: ABANDONED_ERROR_CODE });
      expect((await restarted.keys.get(id))?.balance).toBe(1);
      await expect(restarted.admit({ principal, model: makeModel(), maxCostNano: 1_000_000_000, estimatedTokens: 1, requestId: "r" })).resolves.toBeDefined();
    } finally {
      await restarted.close(0); // its last admission is left unfinished
    }
  });
});
