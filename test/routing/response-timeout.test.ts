import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUpstream } from "../helpers/fake-upstream.js";
import { appFor, chat, completion, faultGateway, msg, sleep, startUpstreams } from "./fault-upstream.js";

/**
 * A non-streamed answer sends its headers only with the whole body, so the
 * first-token limit must not cut it (a long reasoning answer would die at
 * 60 s); it has its own, longer `responseMs` limit.
 */
describe("non-streamed answers and the first-token limit", () => {
  let ups: Record<string, FakeUpstream>;
  beforeAll(async () => {
    ups = await startUpstreams("a");
  });
  afterAll(async () => {
    await ups.a!.stop();
  });

  const model = { id: "a/slow", routes: [{ provider: "a", model: "slow" }] };

  it("serves a non-streamed answer slower than firstByteMs when within responseMs", async () => {
    const app = appFor(faultGateway(ups, { models: [model], retry: { maxRetries: 0 }, timeouts: { firstByteMs: 100, responseMs: 5000, idleMs: 100 } }));
    ups.a!.next(async (_req, res) => {
      await sleep(1500);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(completion("slow", "thought long")));
    });
    const res = await chat(app, { model: "a/slow", messages: msg });
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).toBe("thought long");
  });

  it("still times a non-streamed answer out at responseMs", async () => {
    const app = appFor(faultGateway(ups, { models: [model], retry: { maxRetries: 0 }, timeouts: { firstByteMs: 5000, responseMs: 300 } }));
    ups.a!.next(async (_req, res) => {
      await sleep(2500);
      if (!res.destroyed) res.end();
    });
    const res = await chat(app, { model: "a/slow", messages: msg });
    expect(res.status).toBe(408);
    expect(res.body.error.code).toBe("upstream_timeout");
  });
});
