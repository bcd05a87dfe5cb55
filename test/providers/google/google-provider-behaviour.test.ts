import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import type { Transport } from "../../../src/http/transport.js";
import { createGoogleProvider } from "../../../src/providers/google/create-google-provider.js";
import { fetchRemoteMedia } from "../../../src/providers/google/fetch-remote-media.js";
import type { EmbeddingsCall } from "../../../src/providers/provider.js";
import { FakeUpstream, json, raw, sse } from "../../helpers/fake-upstream.js";
import { assemble, chatCall, chatRequest, collect, providerContext } from "./google-test-helpers.js";

const upstream = new FakeUpstream();
let provider: ReturnType<typeof createGoogleProvider>;

beforeAll(async () => {
  await upstream.start();
  provider = createGoogleProvider("google", { apiKey: "k", baseURL: `${upstream.url}/v1beta` });
});
afterAll(() => upstream.stop());
beforeEach(() => upstream.reset());

const hi = { messages: [{ role: "user", content: "hi" }] };
const usage = (p: number, c: number) => ({ promptTokenCount: p, candidatesTokenCount: c, totalTokenCount: p + c });
const event = (body: unknown) => JSON.stringify(body);

async function chatError(handler: Parameters<FakeUpstream["next"]>[0]): Promise<GatewayError> {
  upstream.next(handler);
  const error = await provider.chat(chatCall(hi), providerContext()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

async function streamError(payloads: string[]): Promise<GatewayError> {
  upstream.next(sse(payloads, { eol: "\r\n" }));
  const { chunks } = await provider.chatStream(chatCall({ ...hi, stream: true }), providerContext());
  const error = await collect(chunks).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe("google provider: choices and finish reasons", () => {
  it("n > 1 gives one choice per candidate", async () => {
    upstream.next(
      json(200, {
        candidates: [
          { index: 1, content: { role: "model", parts: [{ text: "B" }] }, finishReason: "MAX_TOKENS" },
          { index: 0, content: { role: "model", parts: [{ text: "A" }] }, finishReason: "STOP" },
        ],
        usageMetadata: usage(3, 4),
        responseId: "r1",
      }),
    );
    const { completion } = await provider.chat(chatCall({ ...hi, n: 2 }), providerContext());
    expect((upstream.requests[0]!.json as { generationConfig: unknown }).generationConfig).toEqual({ candidateCount: 2 });
    expect(completion.choices.map((c) => [c.index, c.message.content, c.finish_reason, c.native_finish_reason])).toEqual([
      [0, "A", "stop", "STOP"],
      [1, "B", "length", "MAX_TOKENS"],
    ]);
    expect(completion.model).toBe("gemini-2.5-flash");
  });

  it("n > 1 streamed: each candidate its own choice, finish reasons on the last chunk", async () => {
    upstream.next(
      sse([
        event({ candidates: [{ index: 0, content: { parts: [{ text: "A1" }] } }, { index: 1, content: { parts: [{ text: "B1" }] } }], responseId: "r2" }),
        event({ candidates: [{ index: 0, content: { parts: [{ text: "A2" }] }, finishReason: "STOP" }], usageMetadata: usage(3, 2) }),
        event({ candidates: [{ index: 1, content: { parts: [{ text: "B2" }] }, finishReason: "STOP" }], usageMetadata: usage(3, 4) }),
      ], { eol: "\r\n" }),
    );
    const all = await collect((await provider.chatStream(chatCall({ ...hi, n: 2, stream: true }), providerContext())).chunks);
    expect(assemble(all, 0)).toMatchObject({ content: "A1A2", finishReasons: ["stop"], roleChunks: 1 });
    expect(assemble(all, 1)).toMatchObject({ content: "B1B2", finishReasons: ["stop"], roleChunks: 1 });
    expect(all.filter((c) => c.usage != null)).toHaveLength(1);
    expect(all.at(-1)!.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  });

  it("a blocked prompt (promptFeedback.blockReason, no candidates) is content_filter", async () => {
    upstream.next(json(200, { promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 } }));
    const { completion } = await provider.chat(chatCall(hi), providerContext());
    expect(completion.choices).toEqual([{ index: 0, message: { role: "assistant", content: null, refusal: null }, finish_reason: "content_filter", logprobs: null, native_finish_reason: "PROHIBITED_CONTENT" }]);
    upstream.next(sse([event({ promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 5 } })]));
    const all = await collect((await provider.chatStream(chatCall({ ...hi, stream: true }), providerContext())).chunks);
    expect(all).toHaveLength(1);
    expect(all[0]!.choices[0]).toMatchObject({ finish_reason: "content_filter", native_finish_reason: "SAFETY", delta: { role: "assistant" } });
    expect(all[0]!.usage).toMatchObject({ prompt_tokens: 5 });
  });

  it("a candidate stopped for SAFETY is content_filter with the native reason kept", async () => {
    upstream.next(json(200, { candidates: [{ index: 0, finishReason: "SAFETY" }], usageMetadata: usage(5, 0) }));
    const { completion } = await provider.chat(chatCall(hi), providerContext());
    expect(completion.choices[0]).toMatchObject({ finish_reason: "content_filter", native_finish_reason: "SAFETY", message: { content: null } });
  });

  it("MALFORMED_FUNCTION_CALL is a retryable upstream error, not a normal answer", async () => {
    const body = { candidates: [{ index: 0, finishReason: "MALFORMED_FUNCTION_CALL", finishMessage: "Malformed function call: print(" }], usageMetadata: usage(5, 0) };
    const error = await chatError(json(200, body));
    expect(error).toMatchObject({ status: 502, code: "malformed_function_call", isRetryable: true, upstream: { kind: "bad_response" } });
    const streamed = await streamError([event(body)]);
    expect(streamed).toMatchObject({ status: 502, code: "malformed_function_call", isRetryable: true });
  });
});

describe("google provider: stream failures", () => {
  it("a stream that ends without any finishReason is a bad_response error", async () => {
    const error = await streamError([event({ candidates: [{ index: 0, content: { parts: [{ text: "partial" }] } }], usageMetadata: usage(1, 1) })]);
    expect(error).toMatchObject({ status: 502, isRetryable: true, upstream: { kind: "bad_response" } });
  });

  it("an empty stream is a bad_response error", async () => {
    const error = await streamError([]);
    expect(error.upstream?.kind).toBe("bad_response");
  });

  it("an error event inside the 200 stream keeps its status", async () => {
    const error = await streamError([
      event({ candidates: [{ index: 0, content: { parts: [{ text: "a" }] } }] }),
      event({ error: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" } }),
    ]);
    expect(error).toMatchObject({ isRetryable: true, upstream: { status: 503 } });
  });

  it("a stream event that is not JSON is a bad_response error", async () => {
    const error = await streamError(["{not json"]);
    expect(error).toMatchObject({ status: 502, upstream: { kind: "bad_response" } });
  });

  it("an HTTP error before the stream starts is thrown by chatStream itself", async () => {
    upstream.next(json(429, { error: { code: 429, message: "quota", status: "RESOURCE_EXHAUSTED" } }));
    const error = await provider.chatStream(chatCall({ ...hi, stream: true }), providerContext()).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, upstream: { kind: "rate_limited" } });
  });
});

describe("google provider: error bodies", () => {
  const cases: Array<[string, Parameters<FakeUpstream["next"]>[0], Record<string, unknown>]> = [
    ["HTML 500 -> clean 502, retryable", raw(500, "<html><body>Internal Server Error</body></html>", { "content-type": "text/html" }), { status: 502, code: "upstream_bad_response", isRetryable: true, expose: false }],
    ["empty 503 -> clean 502, retryable", raw(503, ""), { status: 502, code: "upstream_bad_response", isRetryable: true, upstream: { kind: "server", status: 503 } }],
    ["JSON 500 INTERNAL -> 502, retryable", json(500, { error: { code: 500, message: "Internal error", status: "INTERNAL" } }), { status: 502, isRetryable: true, upstream: { kind: "server" } }],
    ["JSON 503 UNAVAILABLE -> retryable", json(503, { error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } }), { isRetryable: true }],
    ["403 PERMISSION_DENIED is ours: not shown", json(403, { error: { code: 403, message: "API key not valid", status: "PERMISSION_DENIED" } }), { status: 502, expose: false, upstream: { kind: "auth" } }],
    ["400 context too long -> context_length_exceeded", json(400, { error: { code: 400, message: "The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).", status: "INVALID_ARGUMENT" } }), { status: 400, code: "context_length_exceeded" }],
    ["200 with an HTML body -> clean 502", raw(200, "<html>oops</html>", { "content-type": "text/html" }), { status: 502, code: "upstream_bad_response", isRetryable: true }],
    ["200 without candidates or block reason -> 502", json(200, { usageMetadata: usage(1, 0) }), { status: 502, upstream: { kind: "bad_response" } }],
  ];
  for (const [name, handler, expected] of cases) {
    it(name, async () => expect(await chatError(handler)).toMatchObject(expected));
  }
});

describe("google provider: embeddings", () => {
  const embedCall = (request: EmbeddingsCall["request"]): EmbeddingsCall => {
    const call = chatCall(hi, "text-embedding-004");
    return { request, model: call.model, route: call.route };
  };

  it("batchEmbedContents for an array input, dimensions -> outputDimensionality, usage estimated when absent", async () => {
    upstream.next(json(200, { embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] }));
    const { response } = await provider.embeddings!(embedCall({ input: ["hello world!", "hi"], dimensions: 2 }), providerContext());
    const req = upstream.requests[0]!;
    expect(req.url).toBe("/v1beta/models/text-embedding-004:batchEmbedContents");
    expect(req.headers["x-goog-api-key"]).toBe("k");
    expect(req.json).toEqual({
      requests: [
        { model: "models/text-embedding-004", content: { parts: [{ text: "hello world!" }] }, outputDimensionality: 2 },
        { model: "models/text-embedding-004", content: { parts: [{ text: "hi" }] }, outputDimensionality: 2 },
      ],
    });
    expect(response).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.1, 0.2] },
        { object: "embedding", index: 1, embedding: [0.3, 0.4] },
      ],
      model: "text-embedding-004",
      usage: { prompt_tokens: 3 + 1, total_tokens: 4 },
    });
  });

  it("a string input with base64 encoding; usage from the API when given", async () => {
    upstream.next(json(200, { embeddings: [{ values: [1, -2.5] }], usageMetadata: { promptTokenCount: 7 } }));
    const { response } = await provider.embeddings!(embedCall({ input: "hello", encoding_format: "base64" }), providerContext());
    const bytes = Buffer.from(response.data[0]!.embedding as string, "base64");
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))).toEqual([1, -2.5]);
    expect(response.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
  });

  it("token-id input is a 400 naming input; a short answer is a 502", async () => {
    await expect(provider.embeddings!(embedCall({ input: [1, 2, 3] }), providerContext())).rejects.toMatchObject({ status: 400, param: "input" });
    upstream.next(json(200, { embeddings: [] }));
    await expect(provider.embeddings!(embedCall({ input: "x" }), providerContext())).rejects.toMatchObject({ status: 502 });
  });
});

describe("google provider: fetchUrls", () => {
  const image = (url: string) => ({ messages: [{ role: "user", content: [{ type: "text", text: "look" }, { type: "image_url", image_url: { url } }] }] });

  it("fetches public https images through the injected transport into inlineData", async () => {
    const seen: string[] = [];
    const fake: Transport = async (req) => {
      seen.push(`${req.method} ${req.url}`);
      const bytes = new Uint8Array([137, 80, 78, 71]);
      return { status: 200, headers: { "content-type": "image/png; charset=binary" }, body: (async function* () { yield bytes; })(), text: async () => "", dump: async () => {} };
    };
    const media = await fetchRemoteMedia(chatRequest(image("https://images.example.com/cat")), providerContext({ transport: fake }), async () => ["93.184.216.34"]);
    expect(seen).toEqual(["GET https://images.example.com/cat"]);
    expect(media.get("https://images.example.com/cat")).toEqual({ mimeType: "image/png", data: Buffer.from([137, 80, 78, 71]).toString("base64") });
  });

  it("never fetches from private or loopback addresses, by literal or by name", async () => {
    let called = 0;
    const fake: Transport = async () => {
      called++;
      throw new Error("must not be called");
    };
    const request = chatRequest({
      messages: [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: "https://127.0.0.1/a.png" } },
            { type: "image_url", image_url: { url: "https://[::1]/b.png" } },
            { type: "image_url", image_url: { url: "https://metadata.internal/c.png" } },
          ],
        },
      ],
    });
    const media = await fetchRemoteMedia(request, providerContext({ transport: fake }), async () => ["169.254.169.254"]);
    expect(called).toBe(0);
    expect([...media.values()].every((m) => "error" in m && /private or loopback/.test(m.error))).toBe(true);
  });

  it("end to end: the provider drops a refused image with a warning and still answers", async () => {
    const fetching = createGoogleProvider("google", { apiKey: "k", baseURL: `${upstream.url}/v1beta`, fetchUrls: true });
    upstream.next(json(200, { candidates: [{ index: 0, content: { parts: [{ text: "ok" }] }, finishReason: "STOP" }], usageMetadata: usage(1, 1) }));
    const ctx = providerContext();
    const { completion } = await fetching.chat(chatCall(image(`https://127.0.0.1:${new URL(upstream.url).port}/cat.png`)), ctx);
    expect(completion.choices[0]!.message.content).toBe("ok");
    expect(upstream.requests).toHaveLength(1);
    expect((upstream.requests[0]!.json as { contents: unknown }).contents).toEqual([{ role: "user", parts: [{ text: "look" }] }]);
    expect(ctx.warnings).toEqual([{ param: "messages", reason: expect.stringContaining("private or loopback") }]);
  });
});

describe("google provider: capabilities", () => {
  it("declares the chat parameters it honours", () => {
    for (const p of ["temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "n", "seed", "presence_penalty", "frequency_penalty", "tools", "tool_choice", "response_format", "reasoning", "reasoning_effort"]) {
      expect(provider.capabilities.has(p)).toBe(true);
    }
    for (const p of ["logprobs", "top_logprobs", "logit_bias", "parallel_tool_calls", "user"]) expect(provider.capabilities.has(p)).toBe(false);
    expect(provider.type).toBe("google");
    expect(provider.name).toBe("google");
  });
});
