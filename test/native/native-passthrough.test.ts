import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { json, sse } from "../helpers/fake-upstream.js";
import { fixtureChunks, fixtureJson } from "../helpers/fixtures.js";
import { CALLER_KEY, FRAMEWORKS, rawRequest, startNativeRig, UPSTREAM_KEYS, waitForUsage, type NativeRig } from "./native-rig.js";

const anthropicBody = JSON.stringify({ model: "claude-sonnet-4-5-20250929", max_tokens: 100, messages: [{ role: "user", content: "hi" }] });
const SECRETS = Object.values(UPSTREAM_KEYS);

function headerText(headers: Record<string, string | string[] | undefined>): string {
  return Object.entries(headers).map(([k, v]) => `${k}: ${String(v)}`).join("\n");
}

describe.each(FRAMEWORKS)("native passthrough under $name", ({ mount }) => {
  let rig: NativeRig;
  beforeAll(async () => {
    rig = await startNativeRig(mount);
  });
  afterAll(() => rig.close());
  beforeEach(() => rig.all().forEach((u) => u.reset()));

  it("swaps the caller's key for the provider's, both ways", async () => {
    // A misbehaving upstream that echoes the key it got must not leak it to the caller.
    rig.anth.on("/v1/messages", (req, res) => json(200, fixtureJson("anthropic/anthropic-text.json"), { "x-echo": String(req.headers["x-api-key"]), "set-cookie": "cf=1" })(req, res));
    const res = await rawRequest(rig.origin, "POST", "/v1/native/anth/v1/messages?beta=true", { "content-type": "application/json", "x-api-key": CALLER_KEY, "anthropic-beta": "prompt-caching-2024-07-31", cookie: "host-session=1" }, anthropicBody);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual(fixtureJson("anthropic/anthropic-text.json"));
    const sent = rig.anth.requests[0]!;
    expect(sent.url).toBe("/v1/messages?beta=true");
    expect(sent.headers["x-api-key"]).toBe(UPSTREAM_KEYS.anth);
    expect(sent.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers.cookie).toBeUndefined();
    expect(headerText(sent.headers)).not.toContain(CALLER_KEY);
    expect(sent.body).toBe(anthropicBody);
    for (const secret of SECRETS) expect(headerText(res.headers) + res.body).not.toContain(secret);
    expect(res.headers["set-cookie"]).toBeUndefined();
    const [record] = await waitForUsage(rig.gateway, "/native/anth");
    expect(record).toMatchObject({ model: "anth/claude-sonnet-4-5", provider: "anth", promptTokens: 12, completionTokens: 29, stream: false, status: 200 });
    expect(record!.costNano).toBe(12 * 3000 + 29 * 15000);
  });

  it("streams a slow native answer chunk by chunk and logs its usage", async () => {
    rig.anth.on("/v1/messages", sse(fixtureChunks("anthropic/anthropic-text.chunks.txt"), { eventNames: true, delayMs: 120 }));
    const body = JSON.stringify({ ...JSON.parse(anthropicBody), stream: true });
    const res = await rawRequest(rig.origin, "POST", "/v1/native/anth/v1/messages", { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY}` }, body);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/event-stream");
    // 12 events 120 ms apart: the first must arrive long before the upstream finished.
    expect(res.firstChunkMs).toBeLessThan(res.endMs - 700);
    expect(res.chunks).toBeGreaterThan(5);
    expect(res.body).toContain("event: message_stop");
    const [record] = await waitForUsage(rig.gateway, "/native/anth");
    expect(record).toMatchObject({ stream: true, promptTokens: 12, completionTokens: 30, status: 200 });
    expect(record!.ttftMs).toBeLessThan(record!.latencyMs);
  });

  it("serves Gemini with ?key= auth and OpenAI-compatible paths, usage read from each", async () => {
    rig.gem.on("/v1beta/models/gemini-3-pro-preview:streamGenerateContent", sse(fixtureChunks("google/google-text.chunks.txt"), { eol: "\r\n" }));
    const g = await rawRequest(rig.origin, "POST", `/v1/native/gem/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse&key=${CALLER_KEY}`, { "content-type": "application/json" }, JSON.stringify({ contents: [{ role: "user", parts: [{ text: "r in strawberry?" }] }] }));
    expect(g.status).toBe(200);
    const sent = rig.gem.requests[0]!;
    expect(sent.url).toBe("/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse");
    expect(sent.headers["x-goog-api-key"]).toBe(UPSTREAM_KEYS.gem);
    const [gr] = await waitForUsage(rig.gateway, "/native/gem");
    // Cumulative usageMetadata: the last one counts, never the sum (ogx-ai/ogx #5122).
    expect(gr).toMatchObject({ promptTokens: 9, completionTokens: 23 + 185, reasoningTokens: 185, stream: true });

    rig.oai.on("/v1/chat/completions", sse(fixtureChunks("openai/openai-text.chunks.txt"), { done: true }));
    const o = await rawRequest(rig.origin, "POST", "/v1/native/oai/chat/completions", { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY}` }, JSON.stringify({ model: "gpt-4.1-nano", stream: true, messages: [{ role: "user", content: "hi" }] }));
    expect(o.status).toBe(200);
    expect(rig.oai.requests[0]!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEYS.oai}`);
    expect(rig.oai.requests[0]!.json).toMatchObject({ stream_options: { include_usage: true } });
    const [or] = await waitForUsage(rig.gateway, "/native/oai");
    expect(or).toMatchObject({ promptTokens: 16, completionTokens: 300 });
  });

  it("returns upstream errors in the provider's own shape", async () => {
    const upstreamError = { type: "error", error: { type: "invalid_request_error", message: "messages: field required" } };
    rig.anth.on("/v1/messages", json(400, upstreamError));
    const res = await rawRequest(rig.origin, "POST", "/v1/native/anth/v1/messages", { "content-type": "application/json", "x-api-key": CALLER_KEY }, anthropicBody);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual(upstreamError);
    const [record] = await waitForUsage(rig.gateway, "/native/anth");
    expect(record).toMatchObject({ status: 400, costNano: 0 });
  });

  it.each([
    ["/v1/native/anth/v1/../../admin/keys", [400, 404]],
    ["/v1/native/anth/v1/messages/..%2F..%2Fadmin", [400]],
    ["/v1/native/anth/%2e%2e/v1/messages", [400]],
    ["/v1/native/oai/..%252f..%252fadmin", [400]],
    ["/v1/native/oai//evil.example.com/steal", [400]],
    ["/v1/native/oai/http://evil.example.com/steal", [400]],
    ["/v1/native/oai/chat\\..\\..\\completions", [400]],
    ["/v1/native/oai/./chat/completions", [400]],
    ["/v1/native/nobody/v1/messages", [404]],
    ["/v1/native/anth/v1/complete", [404]],
    ["/v1/native/gem/v1beta/models/gemini-3-pro-preview:generateContent/../../x", [400]],
    ["/v1/native/gem/v1beta/tunedModels/x:generateContent", [404]],
  ])("refuses the path trick %s without reaching any upstream", async (path, statuses) => {
    const res = await rawRequest(rig.origin, "POST", path, { "content-type": "application/json", authorization: `Bearer ${CALLER_KEY}` }, JSON.stringify({ model: "gpt-4.1-nano", messages: [] }));
    expect(statuses).toContain(res.status);
    expect(rig.all().flatMap((u) => u.requests)).toHaveLength(0);
  });

  it("answers its own refusals in the provider's shape, before forwarding", async () => {
    const unknown = await rawRequest(rig.origin, "POST", "/v1/native/anth/v1/messages", { "content-type": "application/json", "x-api-key": CALLER_KEY }, JSON.stringify({ model: "claude-unknown", max_tokens: 5, messages: [] }));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ type: "error", error: { type: "not_found_error" } });

    const noKey = await rawRequest(rig.origin, "POST", "/v1/native/gem/v1beta/models/gemini-3-pro-preview:generateContent", { "content-type": "application/json" }, "{}");
    expect(noKey.status).toBe(401);
    expect(JSON.parse(noKey.body)).toMatchObject({ error: { code: 401, status: "UNAUTHENTICATED" } });

    const poor = await rig.gateway.keys.create({ credits: 0.000001 });
    const broke = await rawRequest(rig.origin, "POST", "/v1/native/anth/v1/messages", { "content-type": "application/json", "x-api-key": poor.key }, anthropicBody);
    expect(broke.status).toBe(402);
    expect(JSON.parse(broke.body)).toMatchObject({ type: "error", error: { type: "billing_error" } });
    expect(rig.all().flatMap((u) => u.requests)).toHaveLength(0);
  });
});

describe("native passthrough, client disconnect", () => {
  it("aborts the upstream and still accounts the request", async () => {
    const rig = await startNativeRig(FRAMEWORKS[0]!.mount);
    try {
      rig.anth.on("/v1/messages", sse(fixtureChunks("anthropic/anthropic-text.chunks.txt"), { eventNames: true, delayMs: 150 }));
      const controller = new AbortController();
      const res = await fetch(`${rig.origin}/v1/native/anth/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": CALLER_KEY },
        body: JSON.stringify({ ...JSON.parse(anthropicBody), stream: true }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      const [record] = await waitForUsage(rig.gateway, "/native/anth");
      expect(record).toMatchObject({ cancelled: true, promptTokens: 12 });
      for (let i = 0; i < 50 && rig.anth.closedAt.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(rig.anth.closedAt.length).toBe(1);
    } finally {
      await rig.close();
    }
  });
});
