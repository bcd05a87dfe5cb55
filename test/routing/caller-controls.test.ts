import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeUpstream } from "../helpers/fake-upstream.js";
import { appFor, chat, fault, faultGateway, generation, KEY, msg, seeded, startUpstreams } from "./fault-upstream.js";

let ups: Record<string, FakeUpstream>;
beforeAll(async () => (ups = await startUpstreams("a", "b", "c")));
afterAll(async () => Promise.all(Object.values(ups).map((u) => u.stop())));
beforeEach(() => {
  Object.values(ups).forEach((u) => u.reset());
  for (const [name, up] of Object.entries(ups)) up.otherwise(fault.ok(`from ${name}`));
});

const models = [
  { id: "test/chat", pricing: { prompt: "1", completion: "2" }, routes: [{ provider: "a", model: "a-model" }, { provider: "b", model: "b-model", priority: 1 }] },
  { id: "test/backup", pricing: { prompt: "3", completion: "4" }, routes: [{ provider: "c", model: "c-model" }] },
  { id: "test/pricey", pricing: { prompt: "50", completion: "100" }, routes: [{ provider: "c", model: "pricey" }] },
];
const setup = (extra: Parameters<typeof faultGateway>[1] = {}) => {
  const gateway = faultGateway(ups, { models, retry: { maxRetries: 0 }, ...extra });
  return { gateway, app: appFor(gateway) };
};

describe("models + route: fallback", () => {
  it("the answer's model is the one that served it, and that model is billed", async () => {
    const { app } = setup();
    ups.a!.otherwise(fault.status(503));
    ups.b!.otherwise(fault.status(503));
    const res = await chat(app, { models: ["test/chat", "test/backup"], route: "fallback", messages: msg });
    expect(res.status).toBe(200);
    expect(res.body.model).toBe("test/backup");
    expect(res.headers["x-modelmux-model"]).toBe("test/backup");
    expect(res.headers["x-modelmux-provider"]).toBe("c");
    // 7 prompt + 3 completion tokens at test/backup's 3 and 4 USD per 1M.
    expect(res.body.usage.cost).toBeCloseTo((7 * 3 + 3 * 4) / 1e6, 12);
    const gen = await generation(app, res.body.id);
    expect(gen.model).toBe("test/backup");
    expect(gen.attempts.map((t) => [t.provider, t.status])).toEqual([["a", 503], ["b", 503], ["c", 200]]);
  });
});

describe("vendor header", () => {
  it("pins a provider", async () => {
    const { app } = setup();
    const res = await chat(app, { model: "test/chat", messages: msg }, { vendor: "b" });
    expect(res.headers["x-modelmux-provider"]).toBe("b");
    expect(ups.a!.requests.length).toBe(0);
  });
  it("auto is no pin", async () => {
    const { app } = setup();
    expect((await chat(app, { model: "test/chat", messages: msg }, { vendor: "auto" })).headers["x-modelmux-provider"]).toBe("a");
  });
  it("a pin that leaves no route is a 404 that says so", async () => {
    const { app } = setup();
    const res = await chat(app, { model: "test/chat", messages: msg }, { vendor: "c" });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain("vendor 'c'");
    expect(res.body.error.param).toBe("vendor");
  });
  it("an unknown provider is a 400", async () => {
    const { app } = setup();
    const res = await chat(app, { model: "test/chat", messages: msg }, { vendor: "nope" });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe("vendor");
  });
  it("a pinned provider failing does not fall back to another", async () => {
    const { app } = setup();
    ups.b!.otherwise(fault.status(503));
    const res = await chat(app, { model: "test/chat", messages: msg }, { vendor: "b" });
    expect(res.status).toBe(502);
    expect(ups.a!.requests.length).toBe(0);
  });
});

describe("the provider object", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["order", { order: ["b", "a"] }, "b"],
    ["only", { only: ["b"] }, "b"],
    ["ignore", { ignore: ["a"] }, "b"],
  ])("%s steers the route", async (_name, provider, expected) => {
    const { app } = setup();
    expect((await chat(app, { model: "test/chat", messages: msg, provider })).headers["x-modelmux-provider"]).toBe(expected);
  });

  it("only: a failure does not leave the listed providers", async () => {
    const { app } = setup();
    ups.b!.otherwise(fault.status(500));
    const res = await chat(app, { model: "test/chat", messages: msg, provider: { only: ["b"] } });
    expect(res.status).toBe(502);
    expect(ups.a!.requests.length).toBe(0);
  });

  it("allow_fallbacks false: the primary's error is the answer", async () => {
    const { app } = setup();
    ups.a!.otherwise(fault.status(503));
    const res = await chat(app, { model: "test/chat", messages: msg, provider: { allow_fallbacks: false } });
    expect(res.status).toBe(502);
    expect(ups.b!.requests.length).toBe(0);
  });

  it("sort price: the cheapest model of the chain first", async () => {
    const { app } = setup();
    const res = await chat(app, { models: ["test/pricey", "test/backup"], messages: msg, provider: { sort: "price" } });
    expect(res.body.model).toBe("test/backup");
  });

  it("max_price: too dear models are left out; none left is a 404 that says so", async () => {
    const { app } = setup();
    const ok = await chat(app, { models: ["test/pricey", "test/backup"], messages: msg, provider: { max_price: { prompt: 10 } } });
    expect(ok.body.model).toBe("test/backup");
    const none = await chat(app, { model: "test/pricey", messages: msg, provider: { max_price: { prompt: 10 } } });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe("no_route");
  });

  it("require_parameters: only routes that honour every parameter; none is a 400 naming it", async () => {
    const gateway = faultGateway(ups, {
      models: [{ id: "test/mixed", routes: [{ provider: "anth", model: "claude" }, { provider: "a", model: "a-model", priority: 1 }] }],
      providers: { anth: { type: "anthropic", baseURL: ups.c!.url, apiKey: "x" } },
    });
    const app = appFor(gateway);
    const res = await chat(app, { model: "test/mixed", messages: msg, logit_bias: { "50256": -100 }, provider: { require_parameters: true } });
    expect(res.headers["x-modelmux-provider"]).toBe("a");
    expect(ups.c!.requests.length).toBe(0);
    const none = await chat(app, { model: "test/mixed", messages: msg, logit_bias: { "50256": -100 }, provider: { require_parameters: true, only: ["anth"] } });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain("logit_bias");
  });

  it("sort latency: the measured fastest route first", async () => {
    const { app } = setup();
    ups.a!.otherwise(fault.ok("slow a", { delayMs: 60 }));
    // Measure both once (unmeasured routes go first).
    await chat(app, { model: "test/chat", messages: msg, provider: { sort: "latency" } });
    await chat(app, { model: "test/chat", messages: msg, provider: { sort: "latency" } });
    for (let i = 0; i < 3; i++) {
      expect((await chat(app, { model: "test/chat", messages: msg, provider: { sort: "latency" } })).headers["x-modelmux-provider"]).toBe("b");
    }
  });
});

describe("route choice through the gateway", () => {
  it("weighted: a 3:1 split within a tolerance band over 400 seeded requests", async () => {
    const gateway = faultGateway(ups, { models: [{ id: "test/w", routes: [{ provider: "a", model: "m", weight: 3 }, { provider: "b", model: "m", weight: 1 }] }], random: seeded(99) });
    const counts: Record<string, number> = { a: 0, b: 0 };
    for (let i = 0; i < 400; i++) {
      const res = await gateway.handle({ method: "POST", path: "/chat/completions", headers: { authorization: `Bearer ${KEY}` }, body: { model: "test/w", messages: msg } });
      if (res.kind !== "json") throw new Error("expected json");
      counts[res.headers["x-modelmux-provider"]!]!++;
    }
    // Expected 300 / 100; binomial sd ≈ 8.7, so ±35 is 4 sd.
    expect(counts.a).toBeGreaterThan(265);
    expect(counts.a).toBeLessThan(335);
  });

  it("least latency per model: after measuring, the fastest route serves", async () => {
    const gateway = faultGateway(ups, { models: [{ id: "test/l", routing: "latency", routes: [{ provider: "a", model: "m" }, { provider: "b", model: "m" }] }] });
    const app = appFor(gateway);
    ups.a!.otherwise(fault.ok("slow", { delayMs: 60 }));
    const first = [await chat(app, { model: "test/l", messages: msg }), await chat(app, { model: "test/l", messages: msg })].map((r) => r.headers["x-modelmux-provider"]);
    expect(first).toEqual(["a", "b"]);
    for (let i = 0; i < 3; i++) expect((await chat(app, { model: "test/l", messages: msg })).headers["x-modelmux-provider"]).toBe("b");
  });

  it("priority tiers: the second tier only when the first has failed", async () => {
    const gateway = faultGateway(ups, { models: [{ id: "test/t", routes: [{ provider: "a", model: "m" }, { provider: "b", model: "m" }, { provider: "c", model: "m", priority: 1 }] }], retry: { maxRetries: 0 } });
    const app = appFor(gateway);
    for (let i = 0; i < 6; i++) expect(["a", "b"]).toContain((await chat(app, { model: "test/t", messages: msg })).headers["x-modelmux-provider"]);
    expect(ups.c!.requests.length).toBe(0);
    ups.a!.otherwise(fault.status(500));
    ups.b!.otherwise(fault.status(500));
    expect((await chat(app, { model: "test/t", messages: msg })).headers["x-modelmux-provider"]).toBe("c");
  });
});

describe("retries", () => {
  it("honour retry-after-ms before retrying the same route", async () => {
    const { app, gateway } = setup({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1000 } });
    ups.a!.next(fault.status(429, "wait", { "retry-after-ms": "150" }));
    const res = await chat(app, { model: "test/chat", messages: msg });
    expect(res.headers["x-modelmux-provider"]).toBe("a");
    const gen = await generation(app, res.body.id);
    expect(gen.attempts.map((t) => [t.status, t.retries])).toEqual([[429, 0], [200, 1]]);
    const [first, second] = (await gateway.store.getUsage(res.body.id))!.attempts;
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(150);
  });

  it("back off exponentially (with jitter) between tries of one route", async () => {
    const { app } = setup({ retry: { maxRetries: 3, baseDelayMs: 40, maxDelayMs: 1000 }, random: () => 1 });
    ups.a!.next(fault.status(503)).next(fault.status(503)).next(fault.status(503));
    const started = Date.now();
    const res = await chat(app, { model: "test/chat", messages: msg });
    expect(res.headers["x-modelmux-provider"]).toBe("a");
    // 40 + 80 + 160 ms of backoff with the jitter at its top.
    expect(Date.now() - started).toBeGreaterThanOrEqual(275);
    expect(ups.a!.requests.length).toBe(4);
  });
});
