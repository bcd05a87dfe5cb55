import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Handler, FakeUpstream } from "../helpers/fake-upstream.js";
import { appFor, chat, fault, faultGateway, generation, msg, parseEvents, startUpstreams } from "./fault-upstream.js";

/**
 * Every row of the decision table through the full HTTP stack (Express
 * adapter, gateway, OpenAI-compatible provider, undici) against a scripted
 * upstream: route a (priority 0) fails as the row says, route b (priority 1)
 * is healthy. Checked streaming and not: the answer, who served it, and the
 * attempts recorded for GET /generation.
 */
let ups: Record<string, FakeUpstream>;
beforeAll(async () => (ups = await startUpstreams("a", "b")));
afterAll(async () => Promise.all(Object.values(ups).map((u) => u.stop())));
beforeEach(() => Object.values(ups).forEach((u) => u.reset()));

const model = { id: "test/chat", pricing: { prompt: "1", completion: "2" }, routes: [{ provider: "a", model: "a-model" }, { provider: "b", model: "b-model", priority: 1 }] };
const setup = () => {
  const gateway = faultGateway(ups, { models: [model], timeouts: { firstByteMs: 150, responseMs: 150, idleMs: 150 } });
  return { gateway, app: appFor(gateway) };
};

interface Row {
  name: string;
  handler: () => Handler;
  /** Statuses recorded for route a's tries. */
  aStatuses: number[];
  /** Error code of a's tries. */
  aCode?: string;
}

// maxRetries 1: retryable faults try route a twice, then move to b.
const fallbackRows: Row[] = [
  { name: "500", handler: () => fault.status(500), aStatuses: [500, 500] },
  { name: "502", handler: () => fault.status(502), aStatuses: [502, 502] },
  { name: "503", handler: () => fault.status(503), aStatuses: [503, 503] },
  { name: "504", handler: () => fault.status(504), aStatuses: [504, 504] },
  { name: "529 overloaded", handler: () => fault.status(529, "Overloaded"), aStatuses: [529, 529] },
  { name: "408", handler: () => fault.status(408), aStatuses: [408, 408] },
  { name: "409", handler: () => fault.status(409), aStatuses: [409, 409] },
  { name: "425", handler: () => fault.status(425), aStatuses: [425, 425] },
  { name: "429 with retry-after-ms", handler: () => fault.status(429, "slow down", { "retry-after-ms": "20" }), aStatuses: [429, 429], aCode: "rate_limit_exceeded" },
  { name: "HTML error page", handler: () => fault.html(502), aStatuses: [502, 502], aCode: "upstream_bad_response" },
  { name: "hang before headers", handler: () => fault.hang(), aStatuses: [408, 408], aCode: "upstream_timeout" },
  { name: "connection reset", handler: () => fault.reset(), aStatuses: [502, 502], aCode: "upstream_unreachable" },
  // Moves on without a retry.
  { name: "401 (our credentials)", handler: () => fault.status(401), aStatuses: [401] },
  { name: "403 (our credentials)", handler: () => fault.status(403), aStatuses: [403] },
  { name: "404 retired model", handler: () => fault.status(404, "The model `a-model` does not exist", {}, "model_not_found"), aStatuses: [404], aCode: "model_not_found" },
];

describe.each([false, true])("decision table through HTTP (stream: %s)", (stream) => {
  it.each(fallbackRows)("$name on route a: falls back to b", async (row) => {
    const { app } = setup();
    ups.a!.otherwise(row.handler());
    ups.b!.otherwise(fault.ok("served by b"));
    const res = await chat(app, { model: "test/chat", messages: msg, stream });
    expect(res.status).toBe(200);
    expect(res.headers["x-modelmux-provider"]).toBe("b");
    expect(res.headers["x-modelmux-model"]).toBe("test/chat");
    let id: string;
    if (stream) {
      const { data } = parseEvents(res.text);
      expect(data.at(-1)).toBe("[DONE]");
      expect(data.some((d) => d.includes("\"error\""))).toBe(false);
      const first = JSON.parse(data[0]!) as { id: string; provider: string; model: string };
      expect(first).toMatchObject({ provider: "b", model: "test/chat" });
      id = first.id;
    } else {
      expect(res.body.choices[0].message.content).toBe("served by b");
      expect(res.body.provider).toBe("b");
      id = res.body.id;
    }
    const gen = await generation(app, id);
    expect(gen.provider).toBe("b");
    const a = gen.attempts.filter((t) => t.provider === "a");
    expect(a.map((t) => t.status)).toEqual(row.aStatuses);
    expect(a.map((t) => t.retries)).toEqual(row.aStatuses.map((_, i) => i));
    if (row.aCode) expect(a.every((t) => t.errorCode === row.aCode)).toBe(true);
    expect(gen.attempts.at(-1)).toMatchObject({ provider: "b", model: "b-model", status: 200, errorCode: null });
    expect(ups.a!.requests.length).toBe(row.aStatuses.length);
  });

  it("200 with a body that is not JSON: retried, then b", async () => {
    const { app } = setup();
    ups.a!.otherwise(stream ? fault.stream(["x"], { failAfter: { events: 0, how: "invalid" } }) : fault.invalidJson());
    ups.b!.otherwise(fault.ok("served by b"));
    const res = await chat(app, { model: "test/chat", messages: msg, stream });
    expect(res.status).toBe(200);
    expect(res.headers["x-modelmux-provider"]).toBe("b");
    expect(ups.a!.requests.length).toBe(2);
  });

  it("a slow but healthy answer is waited for: no fallback", async () => {
    const { app } = setup();
    ups.a!.otherwise(fault.ok("slow a", { delayMs: 100 }));
    const res = await chat(app, { model: "test/chat", messages: msg, stream });
    expect(res.status).toBe(200);
    expect(res.headers["x-modelmux-provider"]).toBe("a");
    expect(ups.b!.requests.length).toBe(0);
  });

  it("400 for the caller's own request: answered at once, no retry, no fallback", async () => {
    const { app } = setup();
    ups.a!.otherwise(fault.status(400, "temperature: must be at most 2", {}, "invalid_value"));
    const res = await chat(app, { model: "test/chat", messages: msg, stream });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ message: "temperature: must be at most 2", code: "invalid_value" });
    expect(ups.a!.requests.length).toBe(1);
    expect(ups.b!.requests.length).toBe(0);
  });

  it("every route failing with our credentials is a 503 that hides the internals", async () => {
    const { app } = setup();
    ups.a!.otherwise(fault.status(401, "invalid api key sk-a"));
    ups.b!.otherwise(fault.status(403, "forbidden for sk-b"));
    const res = await chat(app, { model: "test/chat", messages: msg, stream });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("no_route_available");
    expect(JSON.stringify(res.body)).not.toContain("sk-");
  });

  it("every route rate limited: 429 with the upstream's retry-after relayed", async () => {
    const { app } = setup();
    ups.a!.otherwise(fault.status(429, "slow", { "retry-after": "7" }));
    ups.b!.otherwise(fault.status(429, "slow", { "retry-after": "7" }));
    const res = await chat(app, { model: "test/chat", messages: msg, stream });
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("7");
    // Retry-After 7 s is past the 1 s cap: no same-route retry, straight on.
    expect(ups.a!.requests.length).toBe(1);
    expect(ups.b!.requests.length).toBe(1);
  });

  it("connection refused on every route: 503, attempts recorded", async () => {
    const refused = await startUpstreams("gone");
    const url = refused.gone!.url;
    await refused.gone!.stop();
    const gateway = faultGateway({}, { models: [{ id: "test/chat", routes: [{ provider: "gone", model: "m" }] }], providers: { gone: { type: "openai", baseURL: `${url}/v1` } } });
    const res = await chat(appFor(gateway), { model: "test/chat", messages: msg, stream });
    expect(res.status).toBe(503);
    const { records } = await gateway.store.listUsage({});
    expect(records[0]!.attempts.map((t) => t.errorCode)).toEqual(["upstream_unreachable", "upstream_unreachable"]);
  });
});

describe("context length", () => {
  it("moves on only to a model with a larger context", async () => {
    const gateway = faultGateway(ups, {
      models: [
        { id: "test/small", context_length: 8000, routes: [{ provider: "a", model: "small" }, { provider: "b", model: "small-too", priority: 1 }] },
        { id: "test/same", context_length: 8000, routes: [{ provider: "b", model: "same" }] },
        { id: "test/large", context_length: 200000, routes: [{ provider: "b", model: "large" }] },
      ],
    });
    ups.a!.otherwise(fault.status(400, "This model's maximum context length is 8000 tokens", {}, "context_length_exceeded"));
    ups.b!.otherwise(fault.ok("large answered"));
    const res = await chat(appFor(gateway), { models: ["test/small", "test/same", "test/large"], route: "fallback", messages: msg });
    expect(res.status).toBe(200);
    expect(res.body.model).toBe("test/large");
    expect(ups.b!.requests.map((r) => (r.json as { model: string }).model)).toEqual(["large"]);
  });

  it("with no larger model the caller gets the 400", async () => {
    const gateway = faultGateway(ups, { models: [{ id: "test/small", context_length: 8000, routes: [{ provider: "a", model: "small" }] }] });
    ups.a!.otherwise(fault.status(400, "This model's maximum context length is 8000 tokens", {}, "context_length_exceeded"));
    const res = await chat(appFor(gateway), { model: "test/small", messages: msg });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("context_length_exceeded");
  });
});
