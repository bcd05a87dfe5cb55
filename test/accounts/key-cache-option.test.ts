import { afterEach, describe, expect, it } from "vitest";
import { createGateway, createMemoryStore, type Gateway } from "modelmux";

let gateway: Gateway | undefined;
afterEach(async () => gateway?.close());

/** A memory store that counts its key lookups by hash (what the key cache saves). */
function countingStore() {
  const store = createMemoryStore();
  const counter = { lookups: 0 };
  const find = store.findKeyByHash.bind(store);
  store.findKeyByHash = (hash) => (counter.lookups++, find(hash));
  return { store, counter };
}

/** The status of GET /key with `key`. */
async function keyInfo(g: Gateway, key: string): Promise<{ status: number }> {
  const res = await g.handle({ method: "GET", path: "/key", headers: { authorization: `Bearer ${key}` } });
  return { status: res.kind === "pass" ? 0 : res.status };
}

describe("createGateway keyCache option", () => {
  it("max: keys past it are looked up in the store again; within it they are not", async () => {
    for (const [max, expected] of [[undefined, 2], [1, 6]] as const) {
      const { store, counter } = countingStore();
      gateway = createGateway({ providers: { mock: { type: "mock" } }, store, keyCache: max === undefined ? undefined : { max } });
      const a = await gateway.keys.create();
      const b = await gateway.keys.create();
      counter.lookups = 0;
      for (let round = 0; round < 3; round++) {
        for (const k of [a, b]) expect((await keyInfo(gateway, k.key)).status).toBe(200);
      }
      // Default cache: each key read once. One entry: two keys taking turns evict each other, every request reads.
      expect(counter.lookups).toBe(expected);
      await gateway.close();
      gateway = undefined;
    }
  });

  it("ttlMs: a revocation made by another process is seen once the entry expires", async () => {
    const store = createMemoryStore();
    gateway = createGateway({ providers: { mock: { type: "mock" } }, store, keyCache: { ttlMs: 40 } });
    const other = createGateway({ providers: { mock: { type: "mock" } }, store });
    try {
      const { key, id } = await gateway.keys.create();
      expect((await keyInfo(gateway, key)).status).toBe(200);
      await other.keys.revoke(id);
      // Still cached here: the other process's revocation is not seen yet.
      expect((await keyInfo(gateway, key)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 70));
      expect((await keyInfo(gateway, key)).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
