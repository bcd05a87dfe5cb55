import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { hashApiKey } from "../../src/accounts/hash-api-key.js";
import { createAccounts } from "../../src/accounts/create-accounts.js";
import type { Accounts } from "../../src/accounts/accounts.js";
import { createMemoryStore } from "../../src/stores/memory-store.js";
import { bearer, makeModel, manualClock } from "./helpers.js";

let accounts: Accounts | undefined;
afterEach(async () => accounts?.close());

describe("API keys", () => {
  it("are prefix + 33 base62 characters (192 random bits), different every time", async () => {
    accounts = createAccounts();
    const keys = await Promise.all(Array.from({ length: 200 }, () => accounts!.keys.create({ name: "k" })));
    for (const { key } of keys) expect(key).toMatch(/^mm_[0-9A-Za-z]{33}$/);
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
    // Every base62 position varies: no fixed padding leaking structure.
    const alphabetSeen = new Set(keys.flatMap((k) => [...k.key.slice(3)]));
    expect(alphabetSeen.size).toBeGreaterThan(55);
  });

  it("use the configured prefix and the injected random source", async () => {
    accounts = createAccounts({ keyPrefix: "sk-test-", randomBytes: (n) => Buffer.alloc(n, 0xff), generateId: (p) => `${p}fixed` });
    const created = await accounts.keys.create();
    expect(created.key).toMatch(/^sk-test-[0-9A-Za-z]{33}$/);
    expect(created.id).toBe("key_fixed");
    expect(created.record.masked.startsWith("sk-test-")).toBe(true);
    expect(created.record.masked).not.toContain(created.key.slice(12, 30));
  });

  it("are stored as a SHA-256 hash only", async () => {
    const store = createMemoryStore();
    accounts = createAccounts({ store });
    const { key, id } = await accounts.keys.create({ name: "stored", credits: 5 });
    const record = await store.getKey(id);
    expect(record?.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(record)).not.toContain(key.slice(3));
    expect(JSON.stringify(await accounts.keys.get(id))).not.toContain(record!.hash);
  });

  it("hash as SHA-256 hex of the UTF-8 bytes, so hashes stored by any version still match", () => {
    // Known digests: "abc" is the FIPS 180-2 example; the others pin the UTF-8 encoding of non-ASCII secrets.
    expect(hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashApiKey("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hashApiKey("é")).toBe(createHash("sha256").update(Buffer.from([0xc3, 0xa9])).digest("hex"));
  });

  it("create, list (masked), get, credit with audit, revoke", async () => {
    const clock = manualClock();
    const store = createMemoryStore();
    accounts = createAccounts({ store, now: clock.now });
    const a = await accounts.keys.create({ name: "a", credits: 10, limits: { requestsPerMinute: 5 }, models: ["openai/*"], expiresAt: "2030-01-01T00:00:00Z", metadata: { team: "x" } });
    expect(a.record).toMatchObject({ name: "a", balance: 10, limits: { requestsPerMinute: 5 }, models: ["openai/*"], expiresAt: "2030-01-01T00:00:00.000Z", metadata: { team: "x" } });
    await accounts.keys.create({ name: "b" });
    const listed = await accounts.keys.list();
    expect(listed.keys.map((k) => k.name).sort()).toEqual(["a", "b"]);
    expect(JSON.stringify(listed)).not.toContain(a.key);

    expect(await accounts.keys.credit(a.id, 2.5, "bonus")).toEqual({ balance: 12.5 });
    expect(await accounts.keys.credit(a.id, -0.5, "correction")).toEqual({ balance: 12 });
    expect((await store.listCredits(a.id)).map((c) => c.reason)).toEqual(["initial credit", "bonus", "correction"]);
    await expect(accounts.keys.credit(a.id, -100)).rejects.toMatchObject({ status: 400 });
    await expect(accounts.keys.credit(a.id, Number.NaN)).rejects.toMatchObject({ status: 400 });
    await expect(accounts.keys.credit("key_nope", 1)).rejects.toMatchObject({ status: 404 });

    const revoked = await accounts.keys.revoke(a.id);
    expect(revoked.revokedAt).toBe(new Date(clock.now()).toISOString());
    expect(await accounts.keys.get("key_nope")).toBeUndefined();
  });

  it("reject bad create input with a 400 naming the field", async () => {
    accounts = createAccounts();
    await expect(accounts.keys.create({ credits: -1 })).rejects.toMatchObject({ status: 400, param: "credits" });
    await expect(accounts.keys.create({ limits: { requestsPerMinute: 0 } })).rejects.toMatchObject({ status: 400, param: "limits.requestsPerMinute" });
    await expect(accounts.keys.create({ expiresAt: "someday" })).rejects.toMatchObject({ status: 400, param: "expiresAt" });
  });

  it("restricted to some models: 403 for another model", async () => {
    accounts = createAccounts();
    const { key } = await accounts.keys.create({ models: ["openai/gpt-4o-mini", "mock/*"] });
    const principal = await accounts.authenticate(bearer(key));
    expect(() => accounts!.authorizeModel(principal, makeModel())).not.toThrow();
    expect(() => accounts!.authorizeModel(principal, makeModel({ id: "mock/echo" }))).not.toThrow();
    expect(() => accounts!.authorizeModel(principal, makeModel({ id: "anthropic/claude" }))).toThrow(expect.objectContaining({ status: 403, code: "forbidden" }));
  });
});
