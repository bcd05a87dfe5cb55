import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeUpstream } from "../helpers/fake-upstream.js";
import { createMemoryStore } from "../../src/stores/memory-store.js";
import { createRedisPostgresStore } from "../../src/stores/redis-postgres-store.js";
import type { Store } from "../../src/stores/store.js";
import { dropNamespace, POSTGRES_URL, REDIS_URL, uniqueNamespace } from "../stores/shared-store-env.js";
import { appFor, chat, fault, faultGateway, generation, manualClock, msg, startUpstreams } from "./fault-upstream.js";

let ups: Record<string, FakeUpstream>;
beforeAll(async () => (ups = await startUpstreams("a", "b")));
afterAll(async () => Promise.all(Object.values(ups).map((u) => u.stop())));
beforeEach(() => Object.values(ups).forEach((u) => u.reset()));

const model = { id: "test/chat", routes: [{ provider: "a", model: "a-model" }, { provider: "b", model: "b-model", priority: 1 }] };
const cooldown = { failures: 2, windowMs: 60_000, cooldownMs: 5_000, cacheMs: 1_000 };
const make = (clock: ReturnType<typeof manualClock>, store?: Store) =>
  faultGateway(ups, { models: [model], now: clock.now, store, retry: { maxRetries: 0 }, cooldown });
const servedBy = async (app: ReturnType<typeof appFor>) => {
  const res = await chat(app, { model: "test/chat", messages: msg });
  expect(res.status).toBe(200);
  return { provider: res.headers["x-modelmux-provider"], id: res.body.id as string };
};

describe("cooldowns with an injected clock", () => {
  it("N failures in the window cool a route: skipped while b is healthy, tried again after", async () => {
    const clock = manualClock();
    const app = appFor(make(clock));
    ups.a!.otherwise(fault.status(500));
    ups.b!.otherwise(fault.ok("b"));
    expect((await servedBy(app)).provider).toBe("b");
    expect((await servedBy(app)).provider).toBe("b");
    expect(ups.a!.requests.length).toBe(2);
    // Cooling: a is not even asked.
    const third = await servedBy(app);
    expect(third.provider).toBe("b");
    expect(ups.a!.requests.length).toBe(2);
    expect((await generation(app, third.id)).attempts.map((t) => t.provider)).toEqual(["b"]);
    clock.advance(4_999);
    await servedBy(app);
    expect(ups.a!.requests.length).toBe(2);
    // After the cooldown a is tried again, and serves now that it is healthy.
    ups.a!.otherwise(fault.ok("a is back"));
    clock.advance(2);
    expect((await servedBy(app)).provider).toBe("a");
  });

  it("401 from the upstream cools the route at once", async () => {
    const clock = manualClock();
    const app = appFor(make(clock));
    ups.a!.otherwise(fault.status(401));
    ups.b!.otherwise(fault.ok("b"));
    await servedBy(app);
    await servedBy(app);
    expect(ups.a!.requests.length).toBe(1);
  });

  it("a Retry-After past the cap cools the route for that long", async () => {
    const clock = manualClock();
    const app = appFor(make(clock));
    ups.a!.otherwise(fault.status(429, "later", { "retry-after": "3" }));
    ups.b!.otherwise(fault.ok("b"));
    await servedBy(app);
    await servedBy(app);
    expect(ups.a!.requests.length).toBe(1);
    clock.advance(3_001);
    await servedBy(app);
    expect(ups.a!.requests.length).toBe(2);
  });

  it("when every route is cooling they are still tried, in order", async () => {
    const clock = manualClock();
    const app = appFor(make(clock));
    ups.a!.otherwise(fault.status(401));
    ups.b!.otherwise(fault.status(403));
    expect((await chat(app, { model: "test/chat", messages: msg })).status).toBe(503);
    ups.a!.otherwise(fault.ok("a"));
    expect((await servedBy(app)).provider).toBe("a");
  });

  it("cooldown off: no cooldown, and not a single store read for it", async () => {
    const clock = manualClock();
    const store = createMemoryStore();
    let reads = 0;
    const getState = store.getState.bind(store);
    store.getState = (name) => (reads++, getState(name));
    const app = appFor(faultGateway(ups, { models: [model], now: clock.now, store, retry: { maxRetries: 0 }, cooldown: { enabled: false } }));
    ups.a!.otherwise(fault.status(500));
    ups.b!.otherwise(fault.ok("b"));
    for (let i = 0; i < 4; i++) await servedBy(app);
    expect(ups.a!.requests.length).toBe(4);
    expect(reads).toBe(0);
  });

  it("cooldown reads are cached: one store read per route per cacheMs, not per request", async () => {
    const clock = manualClock();
    const store = createMemoryStore();
    let reads = 0;
    const getState = store.getState.bind(store);
    store.getState = (name) => (reads++, getState(name));
    const app = appFor(make(clock, store));
    ups.a!.otherwise(fault.ok("a"));
    for (let i = 0; i < 5; i++) await servedBy(app);
    expect(reads).toBe(2);
    clock.advance(1_000);
    await servedBy(app);
    expect(reads).toBe(4);
  });
});

async function sharedCooldown(storeA: Store, storeB: Store) {
  const clock = manualClock();
  const one = appFor(make(clock, storeA));
  const two = appFor(make(clock, storeB));
  ups.a!.otherwise(fault.status(503));
  ups.b!.otherwise(fault.ok("b"));
  // Instance two reads a's state first (healthy, cached for 1 s).
  expect((await servedBy(two)).provider).toBe("b");
  // Failures on instance one: the shared count reaches 2 and trips the cooldown.
  await servedBy(one);
  expect(ups.a!.requests.length).toBe(2);
  await servedBy(one);
  expect(ups.a!.requests.length).toBe(2);
  // Instance two sees the shared cooldown once its cached read expires.
  clock.advance(1_000);
  expect((await servedBy(two)).provider).toBe("b");
  expect(ups.a!.requests.length).toBe(2);
  // And both try a again after the cooldown.
  clock.advance(5_000);
  ups.a!.otherwise(fault.ok("a"));
  expect((await servedBy(two)).provider).toBe("a");
  expect((await servedBy(one)).provider).toBe("a");
}

describe("two gateway instances share cooldown state through the store", () => {
  it("one store object", async () => {
    const store = createMemoryStore();
    await sharedCooldown(store, store);
  });

  it("Redis + PostgreSQL: two stores, one Redis", async () => {
    const ns = uniqueNamespace("routing");
    const storeA = createRedisPostgresStore({ redis: REDIS_URL, postgres: POSTGRES_URL, ...ns });
    const storeB = createRedisPostgresStore({ redis: REDIS_URL, postgres: POSTGRES_URL, ...ns });
    try {
      await storeA.init();
      await storeB.init();
      await sharedCooldown(storeA, storeB);
    } finally {
      await storeA.close();
      await storeB.close();
      await dropNamespace(ns);
    }
  });
});
