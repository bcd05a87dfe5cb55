import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeUpstream } from "../helpers/fake-upstream.js";
import { appFor, chat, fault, faultGateway, generation, msg, parseEvents, sleep, startUpstreams } from "./fault-upstream.js";

let ups: Record<string, FakeUpstream>;
beforeAll(async () => (ups = await startUpstreams("a", "b")));
afterAll(async () => Promise.all(Object.values(ups).map((u) => u.stop())));
// Let connections aborted at the end of the previous test finish closing before counting closes again.
beforeEach(async () => {
  await sleep(40);
  Object.values(ups).forEach((u) => u.reset());
});

const hedged = (hedgeAfterMs: number) => ({
  id: "test/hedged",
  hedgeAfterMs,
  routes: [{ provider: "a", model: "a-model" }, { provider: "b", model: "b-model", priority: 1 }],
});
const setup = (hedgeAfterMs = 80) => {
  const gateway = faultGateway(ups, { models: [hedged(hedgeAfterMs)], timeouts: { firstByteMs: 3000, idleMs: 3000 } });
  return { gateway, app: appFor(gateway) };
};
const idOf = (res: { body: { id?: string }; text: string }, stream: boolean) =>
  stream ? (JSON.parse(parseEvents(res.text).data[0]!) as { id: string }).id : res.body.id!;

describe.each([false, true])("hedging (stream: %s)", (stream) => {
  it("a slow first route: the next starts after the delay, answers first, and the loser's connection is closed", async () => {
    const { app } = setup(80);
    ups.a!.otherwise(fault.ok("slow a", { delayMs: 1500 }));
    ups.b!.otherwise(fault.ok("fast b"));
    const started = Date.now();
    const res = await chat(app, { model: "test/hedged", messages: msg, stream });
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.headers["x-modelmux-provider"]).toBe("b");
    expect(took).toBeGreaterThanOrEqual(75);
    expect(took).toBeLessThan(1000);
    await sleep(50);
    // The fault server saw route a's connection closed before it answered.
    expect(ups.a!.requests.length).toBe(1);
    expect(ups.a!.closedAt.filter((t) => t >= started).length).toBe(1);
    const gen = await generation(app, idOf(res, stream));
    expect(gen.provider).toBe("b");
    expect(gen.attempts.map((t) => [t.provider, t.status, t.errorCode])).toEqual([
      ["a", 499, "hedge_lost"],
      ["b", 200, null],
    ]);
  });

  it("the first route answering before the delay: no hedge at all", async () => {
    const { app } = setup(300);
    ups.a!.otherwise(fault.ok("quick a", { delayMs: 20 }));
    ups.b!.otherwise(fault.ok("b"));
    const res = await chat(app, { model: "test/hedged", messages: msg, stream });
    expect(res.headers["x-modelmux-provider"]).toBe("a");
    expect(ups.b!.requests.length).toBe(0);
  });

  it("both running, the first route wins: the hedge is aborted and recorded", async () => {
    const { app } = setup(50);
    const started = Date.now();
    ups.a!.otherwise(fault.ok("a after all", { delayMs: 150 }));
    ups.b!.otherwise(fault.ok("slower b", { delayMs: 1500 }));
    const res = await chat(app, { model: "test/hedged", messages: msg, stream });
    expect(res.headers["x-modelmux-provider"]).toBe("a");
    await sleep(50);
    expect(ups.b!.requests.length).toBe(1);
    expect(ups.b!.closedAt.filter((t) => t >= started).length).toBe(1);
    const gen = await generation(app, idOf(res, stream));
    expect(gen.attempts.map((t) => [t.provider, t.status, t.errorCode])).toEqual([
      ["a", 200, null],
      ["b", 499, "hedge_lost"],
    ]);
  });

  it("the first route failing while the hedge runs: the hedge answers, no third start", async () => {
    const { app } = setup(50);
    ups.a!.next(async (_req, res) => {
      await sleep(100);
      res.writeHead(503, { "content-type": "application/json" });
      res.end("{\"error\":{\"message\":\"down\"}}");
    });
    ups.a!.otherwise(fault.ok("retry of a", { delayMs: 1500 }));
    ups.b!.otherwise(fault.ok("b", { delayMs: 200 }));
    const res = await chat(app, { model: "test/hedged", messages: msg, stream });
    expect(res.headers["x-modelmux-provider"]).toBe("b");
  });
});

describe("hedging after the measured p95", () => {
  it("does not hedge before 20 answers are measured, then hedges after the route's p95 time to first token", async () => {
    const gateway = faultGateway(ups, { models: [{ ...hedged(80), hedgeAfterMs: "p95" as const }], timeouts: { firstByteMs: 3000, idleMs: 3000 } });
    const app = appFor(gateway);
    ups.a!.otherwise(fault.ok("quick a", { delayMs: 5 }));
    ups.b!.otherwise(fault.ok("b"));
    for (let i = 0; i < 20; i++) expect((await chat(app, { model: "test/hedged", messages: msg })).headers["x-modelmux-provider"]).toBe("a");
    expect(ups.b!.requests.length).toBe(0);
    // Route a turns slow: the next request hedges to b once a passes its p95 (a few ms).
    ups.a!.otherwise(fault.ok("slow a", { delayMs: 1500 }));
    const started = Date.now();
    const res = await chat(app, { model: "test/hedged", messages: msg });
    expect(res.headers["x-modelmux-provider"]).toBe("b");
    expect(Date.now() - started).toBeLessThan(1000);
    const gen = await generation(app, res.body.id);
    expect(gen.attempts.map((a) => a.provider)).toEqual(["a", "b"]);
  });
});
