import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "../../src/stores/sqlite-store.js";
import { keyWithBalance } from "./store-contract.js";
import { runStoreContract } from "./store-contract.js";

const dir = mkdtempSync(join(tmpdir(), "modelmux-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract("SQLite file", async () => createSqliteStore(join(dir, "contract.db")));
runStoreContract("SQLite :memory:", async () => createSqliteStore(":memory:"));

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
