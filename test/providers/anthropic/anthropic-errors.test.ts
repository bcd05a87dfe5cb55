import { afterAll, beforeAll, beforeEach, describe, it, expect } from "vitest";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { createAnthropicProvider } from "../../../src/providers/anthropic/create-anthropic-provider.js";
import type { Transport, UpstreamRequest } from "../../../src/http/transport.js";
import { FakeUpstream, json, raw, sse } from "../../helpers/fake-upstream.js";
import { fixtureCassette, fixtureChunks, fixtureJson } from "../../helpers/fixtures.js";
import { makeCall, makeCtx } from "./anthropic-test-helpers.js";
import { singleChunks } from "../../helpers/single-chunks.js";

const upstream = new FakeUpstream();
let provider: ReturnType<typeof createAnthropicProvider>;

beforeAll(async () => {
  await upstream.start();
  provider = createAnthropicProvider("anthropic", { apiKey: "sk-ant-test", baseURL: `${upstream.url}/v1` });
});
afterAll(() => upstream.stop());
beforeEach(() => upstream.reset());

const call = (stream = false) => makeCall({ messages: [{ role: "user", content: "Hi" }], ...(stream ? { stream: true } : {}) });

async function chatError(): Promise<GatewayError> {
  const error: unknown = await provider.chat(call(), makeCtx()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

async function streamError(): Promise<{ error: GatewayError; received: number }> {
  const { chunks } = await provider.chatStream(call(true), makeCtx());
  let received = 0;
  try {
    for await (const _chunk of singleChunks(chunks)) received++;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return { error: error as GatewayError, received };
  }
  throw new Error("the stream ended without an error");
}

const overloaded = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };

describe("anthropic provider: upstream errors", () => {
  it("accepts a baseURL ending in /v1 without doubling it", async () => {
    upstream.next(json(200, fixtureJson("anthropic/anthropic-text.json")));
    await provider.chat(call(), makeCtx());
    expect(upstream.requests[0]!.url).toBe("/v1/messages");
  });

  it("invalid_request_error (recorded body) reaches the caller as a 400 with Anthropic's message", async () => {
    upstream.next(json(400, fixtureJson("anthropic/anthropic-parallel-provider-client-tools.error.json")));
    const e = await chatError();
    expect(e).toMatchObject({ status: 400, type: "invalid_request_error", isRetryable: false, expose: true, upstream: { kind: "bad_request", status: 400, provider: "anthropic" } });
    expect(e.message).toMatch(/^messages\.1: `tool_use` ids were found without `tool_result` blocks/);
  });

  it("test_anthropic_explicit_effort_xhigh_unsupported_model_errors.yaml: 400 with the message", async () => {
    const [i] = fixtureCassette("anthropic/test_anthropic_explicit_effort_xhigh_unsupported_model_errors.yaml");
    upstream.next(json(i!.response.status.code, i!.response.parsed_body));
    const e = await chatError();
    expect(e).toMatchObject({ status: 400, upstream: { kind: "bad_request" } });
    expect(e.message).toBe("This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.");
  });

  it("test_model_name_suggestion[anthropic].yaml: 404 not_found_error -> model_not_found, retryable (fallback)", async () => {
    const [i] = fixtureCassette("anthropic/test_model_name_suggestion[anthropic].yaml");
    upstream.next(json(i!.response.status.code, i!.response.parsed_body));
    const e = await chatError();
    expect(e).toMatchObject({ status: 404, code: "model_not_found", isRetryable: true, upstream: { kind: "model_not_found", status: 404 } });
  });

  it("529 overloaded_error is retryable, kind overloaded", async () => {
    upstream.next(json(529, overloaded));
    const e = await chatError();
    expect(e).toMatchObject({ isRetryable: true, upstream: { kind: "overloaded", status: 529 } });
    expect(e.status).toBeGreaterThanOrEqual(500);
  });

  it("429 keeps retry-after and the rate-limit headers", async () => {
    upstream.next(json(429, { type: "error", error: { type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit" } }, { "retry-after": "7", "anthropic-ratelimit-requests-remaining": "0" }));
    const e = await chatError();
    expect(e).toMatchObject({ status: 429, isRetryable: true, upstream: { kind: "rate_limited", retryAfterMs: 7000 } });
    expect(e.headers).toEqual({ "retry-after": "7", "anthropic-ratelimit-requests-remaining": "0" });
  });

  it("an HTML 500 body is a clean, retryable 502 that shows no internals", async () => {
    upstream.next(raw(500, "<html><body>Internal Server Error</body></html>", { "content-type": "text/html" }));
    const e = await chatError();
    expect(e).toMatchObject({ status: 502, code: "upstream_bad_response", isRetryable: true, expose: false, upstream: { kind: "server", status: 500 } });
    expect(e.message).not.toMatch(/html/i);
  });

  it("an empty 503 body is a clean 502", async () => {
    upstream.next(raw(503, ""));
    const e = await chatError();
    expect(e).toMatchObject({ status: 502, isRetryable: true, upstream: { kind: "server" } });
  });

  it("401 with our key is not shown to the caller", async () => {
    upstream.next(json(401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }));
    const e = await chatError();
    expect(e).toMatchObject({ status: 502, expose: false, upstream: { kind: "auth" } });
  });

  it("errors before the stream starts are thrown by chatStream itself", async () => {
    upstream.next(json(529, overloaded));
    await expect(provider.chatStream(call(true), makeCtx())).rejects.toMatchObject({ isRetryable: true, upstream: { kind: "overloaded" } });
  });
});

describe("anthropic provider: failures inside a stream", () => {
  const text = fixtureChunks("anthropic/anthropic-text.chunks.txt");

  it("a mid-stream overloaded error event is thrown from the iterator as a retryable GatewayError", async () => {
    upstream.next(sse([...text.slice(0, 4), JSON.stringify(overloaded)], { eventNames: true }));
    const { error, received } = await streamError();
    expect(received).toBeGreaterThan(0);
    expect(error).toMatchObject({ isRetryable: true, upstream: { kind: "overloaded", provider: "anthropic" } });
  });

  it("a mid-stream api_error is a retryable server error", async () => {
    upstream.next(sse([...text.slice(0, 3), JSON.stringify({ type: "error", error: { type: "api_error", message: "Internal server error" } })], { eventNames: true }));
    const { error } = await streamError();
    expect(error).toMatchObject({ status: 502, isRetryable: true, upstream: { kind: "server" } });
  });

  it("a stream that ends cleanly without message_stop is a bad_response (stream cut), with no finish chunk", async () => {
    upstream.next(sse(text.slice(0, -2), { eventNames: true }));
    const { chunks } = await provider.chatStream(call(true), makeCtx());
    const seen: Array<string | null> = [];
    const error = await (async () => {
      try {
        for await (const c of singleChunks(chunks)) seen.push(c.choices[0]!.finish_reason);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 502, isRetryable: true, upstream: { kind: "bad_response" } });
    expect((error as Error).message).toMatch(/stream cut/);
    expect(seen.every((f) => f === null)).toBe(true);
  });

  it("a connection dropped mid-stream is thrown, never a clean end", async () => {
    upstream.next(sse(text, { eventNames: true, cutAfter: 4 }));
    const { error } = await streamError();
    expect(error.isRetryable).toBe(true);
    expect(["connection", "bad_response"]).toContain(error.upstream?.kind);
  });

  it("an unreadable event is a bad_response", async () => {
    upstream.next(raw(200, "event: message_start\ndata: {not json\n\n", { "content-type": "text/event-stream" }));
    const { error } = await streamError();
    expect(error).toMatchObject({ status: 502, upstream: { kind: "bad_response" } });
  });
});

describe("anthropic provider: limits and cancellation from the context", () => {
  it("passes ctx.firstByteMs, ctx.idleMs and ctx.signal to the transport", async () => {
    const seen: UpstreamRequest[] = [];
    const transport: Transport = async (r) => {
      seen.push(r);
      const body = JSON.stringify(fixtureJson("anthropic/anthropic-text.json"));
      return { status: 200, headers: {}, body: (async function* () {})(), text: async () => body, dump: async () => {} };
    };
    const signal = new AbortController().signal;
    await provider.chat(call(), makeCtx([], { transport, signal, firstByteMs: 1500, idleMs: 700 }));
    expect(seen[0]).toMatchObject({ method: "POST", url: `${upstream.url}/v1/messages`, firstByteMs: 1500, idleMs: 700 });
    expect(seen[0]!.signal).toBe(signal);
  });

  it("ctx.signal aborts the upstream call", async () => {
    upstream.next(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const pending = provider.chat(call(), makeCtx([], { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(GatewayError);
  });
});

