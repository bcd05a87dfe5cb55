import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { createGoogleProvider } from "../../../src/providers/google/create-google-provider.js";
import type { ChatCompletion, ChatCompletionChunk } from "../../../src/schemas/chat-response.js";
import { FakeUpstream, json, raw, sse } from "../../helpers/fake-upstream.js";
import { FIXTURES, fixtureCassette, fixtureChunks, fixtureJson, type CassetteInteraction } from "../../helpers/fixtures.js";
import { assemble, chatCall, collect, providerContext } from "./google-test-helpers.js";

const upstream = new FakeUpstream();
let provider: ReturnType<typeof createGoogleProvider>;
const covered = new Set<string>();

beforeAll(async () => {
  await upstream.start();
  provider = createGoogleProvider("google", { apiKey: "test-key", baseURL: `${upstream.url}/v1beta`, headers: { "x-extra": "1" } });
});
afterAll(() => upstream.stop());
beforeEach(() => upstream.reset());

function usageChunks(chunks: ChatCompletionChunk[]): ChatCompletionChunk[] {
  return chunks.filter((c) => c.usage != null);
}

async function chatJson(file: string, request: Record<string, unknown>, model = "gemini-3-pro-preview"): Promise<ChatCompletion> {
  covered.add(file);
  upstream.next(json(200, fixtureJson(`google/${file}`)));
  const { completion } = await provider.chat(chatCall(request, model), providerContext());
  return completion;
}

async function streamChunks(file: string, request: Record<string, unknown>, model = "gemini-3-pro-preview"): Promise<ChatCompletionChunk[]> {
  covered.add(file);
  upstream.next(sse(fixtureChunks(`google/${file}`), { eol: "\r\n" }));
  const { chunks } = await provider.chatStream(chatCall({ ...request, stream: true }, model), providerContext());
  return collect(chunks);
}

/** Answers one cassette interaction as recorded: raw SSE verbatim, parsed_body as JSON. */
function replay(interaction: CassetteInteraction) {
  const status = interaction.response.status.code;
  const text = interaction.response.body?.string;
  if (text !== undefined) return raw(status, text, { "content-type": "text/event-stream" });
  return json(status, interaction.response.parsed_body);
}

const hi = { messages: [{ role: "user", content: "How many r's in strawberry?" }] };
const weatherTool = { type: "function", function: { name: "weather", parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] } } };

describe("google provider: recorded JSON responses", () => {
  it("google-text.json: text, thought signature, usage with thinking tokens", async () => {
    const completion = await chatJson("google-text.json", hi);
    const req = upstream.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/v1beta/models/gemini-3-pro-preview:generateContent");
    expect(req.headers["x-goog-api-key"]).toBe("test-key");
    expect(req.headers["x-extra"]).toBe("1");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.json).toEqual({ contents: [{ role: "user", parts: [{ text: "How many r's in strawberry?" }] }] });
    expect(completion.model).toBe("gemini-3-pro-preview");
    expect(completion.id).toBe("chatcmpl-Un6LacrVMcjUxs0PmJfWoQc");
    const choice = completion.choices[0]!;
    expect(choice.message.content).toBe("There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.");
    expect(choice.message.tool_calls).toBeUndefined();
    expect(choice.finish_reason).toBe("stop");
    expect(choice.native_finish_reason).toBe("STOP");
    expect(choice.message.reasoning_details).toEqual([
      { type: "reasoning.encrypted", data: expect.stringMatching(/^EtoFCtcF/), format: "google-gemini-v1", index: 0 },
    ]);
    expect(completion.usage).toEqual({ prompt_tokens: 9, completion_tokens: 272, total_tokens: 281, completion_tokens_details: { reasoning_tokens: 244 } });
    expect(completion.usage.cost).toBeUndefined();
  });

  it("google-tool-call.json: one function call with a generated stable id", async () => {
    const completion = await chatJson("google-tool-call.json", { ...hi, tools: [weatherTool] });
    const body = upstream.requests[0]!.json as { tools: unknown };
    expect(body.tools).toEqual([
      { functionDeclarations: [{ name: "weather", description: "", parameters: { type: "OBJECT", properties: { location: { type: "STRING" } }, required: ["location"] } }] },
    ]);
    const choice = completion.choices[0]!;
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      { id: "call_m36LaZGyCLz1xs0PtNSB-QU_0_0", type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } },
    ]);
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.reasoning_details).toEqual([
      { type: "reasoning.encrypted", data: expect.stringMatching(/^EskgCsYg/), format: "google-gemini-v1", id: "call_m36LaZGyCLz1xs0PtNSB-QU_0_0" },
    ]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 29, completion_tokens: 908, total_tokens: 937 });
  });
});

describe("google provider: recorded streams (.chunks.txt, CRLF framing)", () => {
  it("google-text.chunks.txt: text deltas, usage once on the last chunk, not summed", async () => {
    const chunks = await streamChunks("google-text.chunks.txt", hi);
    expect(upstream.requests[0]!.url).toBe("/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse");
    expect(upstream.requests[0]!.headers["x-goog-api-key"]).toBe("test-key");
    const out = assemble(chunks);
    expect(out.content).toBe('There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y');
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    expect(out.roleChunks).toBe(1);
    expect(out.finishReasons).toEqual(["stop"]);
    expect(usageChunks(chunks)).toHaveLength(1);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 9, completion_tokens: 208, total_tokens: 217, completion_tokens_details: { reasoning_tokens: 185 } });
    expect(chunks.every((c) => c.model === "gemini-3-pro-preview" && c.id === "chatcmpl-bH6LaZW8Fp_3nsEPqtaSwQ4")).toBe(true);
    const details = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.reasoning_details ?? []));
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({ type: "reasoning.encrypted", format: "google-gemini-v1" });
  });

  it("google-tool-call.chunks.txt: a whole call in one chunk gives index, id, name and arguments", async () => {
    const chunks = await streamChunks("google-tool-call.chunks.txt", { ...hi, tools: [weatherTool] });
    const out = assemble(chunks);
    expect(out.toolCalls).toEqual([{ index: 0, id: "call_b36LacjwM668nsEP2tbsgQQ_0_0", name: "weather", arguments: '{"location":"San Francisco"}' }]);
    expect(out.content).toBe("");
    expect(out.finishReasons).toEqual(["tool_calls"]);
    expect(usageChunks(chunks)).toHaveLength(1);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 29, completion_tokens: 60, total_tokens: 89 });
  });

  it("google-stream-no-args-tool-call.chunks.txt: thought summary, a zero-arg call, three streamed-argument calls", async () => {
    const chunks = await streamChunks("google-stream-no-args-tool-call.chunks.txt", hi, "gemini-3-flash-preview");
    const out = assemble(chunks);
    expect(out.reasoning).toMatch(/^\*\*Processing User Requests\*\*/);
    expect(out.content).toBe("");
    const prefix = "call__vr4aYiWEJnYodAPkujX0QM_0_";
    expect(out.toolCalls.map((t) => [t.index, t.id, t.name])).toEqual([
      [0, `${prefix}0`, "read_theme"],
      [1, `${prefix}1`, "read_screen"],
      [2, `${prefix}2`, "read_screen"],
      [3, `${prefix}3`, "read_screen"],
    ]);
    expect(out.toolCalls.map((t) => JSON.parse(t.arguments) as unknown)).toEqual([{}, { id: "A" }, { id: "B" }, { id: "C" }]);
    // Each call's first delta has id and name; later deltas only arguments.
    const firstDeltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).filter((d) => d.id !== undefined);
    expect(firstDeltas).toHaveLength(4);
    const details = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.reasoning_details ?? []));
    expect(details).toEqual([{ type: "reasoning.encrypted", data: expect.stringMatching(/^AY89a18a/), format: "google-gemini-v1", id: `${prefix}0` }]);
    expect(out.finishReasons).toEqual(["tool_calls"]);
    expect(usageChunks(chunks)).toHaveLength(1);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 249, completion_tokens: 241, total_tokens: 490, completion_tokens_details: { reasoning_tokens: 183 } });
  });

  it("google-stream-tool-call-arguments.chunks.txt: two parallel calls with streamed arguments", async () => {
    const chunks = await streamChunks("google-stream-tool-call-arguments.chunks.txt", hi, "gemini-3.1-pro-preview");
    const out = assemble(chunks);
    expect(out.toolCalls.map((t) => [t.index, t.id, t.name, JSON.parse(t.arguments)])).toEqual([
      [0, "call_dqHOab6xGLzWodAPkPuViA4_0_0", "getWeather", { location: "Boston" }],
      [1, "call_dqHOab6xGLzWodAPkPuViA4_0_1", "getWeather", { location: "San Francisco" }],
    ]);
    expect(out.finishReasons).toEqual(["tool_calls"]);
    expect(usageChunks(chunks)).toHaveLength(1);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 26, completion_tokens: 155, total_tokens: 181 });
    expect(chunks.at(-1)!.model).toBe("gemini-3.1-pro-preview");
  });
});

describe("google provider: recorded cassettes (.yaml)", () => {
  it("test_google_model_stream.yaml: raw CRLF SSE; the outgoing body matches the recorded request", async () => {
    const file = "test_google_model_stream.yaml";
    covered.add(file);
    const [interaction] = fixtureCassette(`google/${file}`);
    upstream.next(replay(interaction!));
    const call = chatCall(
      { stream: true, temperature: 0, messages: [{ role: "system", content: "You are a helpful chatbot." }, { role: "user", content: "What is the capital of France?" }] },
      "gemini-2.0-flash-exp",
    );
    const { chunks } = await provider.chatStream(call, providerContext());
    const all = await collect(chunks);
    const recorded = interaction!.request.parsed_body as Record<string, unknown>;
    const sent = upstream.requests[0]!;
    expect(sent.url).toBe(new URL(interaction!.request.uri).pathname + new URL(interaction!.request.uri).search);
    expect(sent.json).toMatchObject({ contents: recorded.contents, generationConfig: recorded.generationConfig });
    expect((sent.json as { systemInstruction: { parts: unknown } }).systemInstruction.parts).toEqual((recorded.systemInstruction as { parts: unknown }).parts);
    const out = assemble(all);
    expect(out.content).toBe("The capital of France is Paris.\n");
    expect(out.finishReasons).toEqual(["stop"]);
    // The last usage wins (the prompt count even went down from 15 to 13): never a sum.
    expect(usageChunks(all)).toHaveLength(1);
    expect(all.at(-1)!.usage).toEqual({ prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 });
  });

  it("test_google_model_thinking_part_iter.yaml: thought parts stream as reasoning", async () => {
    const file = "test_google_model_thinking_part_iter.yaml";
    covered.add(file);
    const [interaction] = fixtureCassette(`google/${file}`);
    upstream.next(replay(interaction!));
    const call = chatCall({ stream: true, reasoning: { enabled: true }, messages: [{ role: "user", content: "How do I cross the street?" }] }, "gemini-2.5-pro");
    const all = await collect((await provider.chatStream(call, providerContext())).chunks);
    expect((upstream.requests[0]!.json as { generationConfig: unknown }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: -1, includeThoughts: true } });
    const out = assemble(all);
    expect(out.reasoning).toMatch(/^\*\*Clarifying User Goals\*\*/);
    expect(out.reasoning).toContain("**Crafting Safe Instructions**");
    expect(out.content).toMatch(/^This is a great question!/);
    expect(out.content).toMatch(/Always assume a driver might not see you\.$/);
    expect(out.content).not.toContain("Clarifying");
    expect(out.finishReasons).toEqual(["stop"]);
    expect(usageChunks(all)).toHaveLength(1);
    expect(all.at(-1)!.usage).toEqual({ prompt_tokens: 34, completion_tokens: 1256, total_tokens: 1290, completion_tokens_details: { reasoning_tokens: 787 } });
  });

  it("test_google_model_web_search_tool_stream.yaml: grounded stream with tool-use prompt tokens, then a JSON turn", async () => {
    const file = "test_google_model_web_search_tool_stream.yaml";
    covered.add(file);
    const [streamed, second] = fixtureCassette(`google/${file}`);
    upstream.next(replay(streamed!));
    const question = { role: "user", content: "What is the weather in San Francisco today?" };
    const all = await collect((await provider.chatStream(chatCall({ stream: true, messages: [question] }, "gemini-2.5-pro"), providerContext())).chunks);
    const out = assemble(all);
    expect(out.content).toMatch(/^### Weather in San Francisco is Mild and Partly Cloudy Today/);
    expect(out.content).toMatch(/The chance of rain remains low throughout the day\.$/);
    expect(usageChunks(all)).toHaveLength(1);
    const usage = all.at(-1)!.usage!;
    expect(usage.prompt_tokens).toBe(17 + 102);
    expect(usage.completion_tokens_details).toEqual({ reasoning_tokens: 412 });
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);

    upstream.next(replay(second!));
    const followUp = chatCall({ messages: [question, { role: "assistant", content: out.content }, { role: "user", content: "how about Mexico City?" }] }, "gemini-2.5-pro");
    const { completion } = await provider.chat(followUp, providerContext());
    const recorded = second!.request.parsed_body as { contents: unknown };
    expect((upstream.requests[1]!.json as { contents: unknown }).contents).toEqual(recorded.contents);
    expect(completion.choices[0]!.message.content).toMatch(/^### Scattered Thunderstorms and Mild Temperatures in Mexico City Today/);
    expect(completion.choices[0]!.finish_reason).toBe("stop");
  });

  it("test_google_model_web_search_tool.yaml: two grounded JSON turns", async () => {
    const file = "test_google_model_web_search_tool.yaml";
    covered.add(file);
    const interactions = fixtureCassette(`google/${file}`);
    const messages: Array<Record<string, unknown>> = [{ role: "system", content: "You are a helpful chatbot." }, { role: "user", content: "What is the weather in San Francisco today?" }];
    for (const [i, interaction] of interactions.entries()) {
      upstream.next(replay(interaction));
      const { completion } = await provider.chat(chatCall({ messages }, "gemini-2.5-pro"), providerContext());
      const recorded = interaction.request.parsed_body as { contents: unknown };
      expect((upstream.requests[i]!.json as { contents: unknown }).contents).toEqual(recorded.contents);
      const content = completion.choices[0]!.message.content!;
      expect(content.length).toBeGreaterThan(100);
      expect(completion.choices[0]!.finish_reason).toBe("stop");
      expect(completion.model).toBe("gemini-2.5-pro");
      messages.push({ role: "assistant", content }, { role: "user", content: "how about Mexico City?" });
    }
  });

  it("test_google_instructions_only_with_tool_calls.yaml: parallel calls over five turns, names recovered, signatures put back", async () => {
    const file = "test_google_instructions_only_with_tool_calls.yaml";
    covered.add(file);
    const interactions = fixtureCassette(`google/${file}`);
    const tools = [
      { type: "function", function: { name: "generate_topic", parameters: { type: "object", properties: {}, additionalProperties: false } } },
      { type: "function", function: { name: "final_result", description: "The final response which ends this conversation", parameters: { type: "object", properties: { response: { type: "array", items: { type: "string" } } }, required: ["response"] } } },
    ];
    const messages: Array<Record<string, unknown>> = [
      { role: "system", content: "Tell three jokes. Generate topics with the generate_topic tool." },
      { role: "user", content: "" },
    ];
    const topics = ["cars", "penguins", "cars", "penguins", "cars", "penguins"];
    let completion: ChatCompletion | undefined;
    for (const [turn, interaction] of interactions.entries()) {
      upstream.next(replay(interaction));
      const ctx = providerContext();
      completion = (await provider.chat(chatCall({ messages, tools, tool_choice: "required" }, "gemini-3-flash-preview"), ctx)).completion;
      const sent = upstream.requests[turn]!.json as { contents: Array<{ role: string; parts: Array<Record<string, { id?: string; name?: string }> & { thoughtSignature?: string }> }>; toolConfig: unknown };
      const recorded = interaction.request.parsed_body as { contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> };
      expect(sent.toolConfig).toEqual({ functionCallingConfig: { mode: "ANY" } });
      // Same turn structure as the recorded client: roles, part kinds, function names, signature placement.
      const shape = (contents: typeof recorded.contents) =>
        contents.map((c) => [c.role, c.parts.map((p) => Object.keys(p).sort().join("+") + ":" + String((p.functionCall as { name?: string })?.name ?? (p.functionResponse as { name?: string })?.name ?? ""))]);
      expect(shape(sent.contents)).toEqual(shape(recorded.contents));
      // functionResponse ids answer our functionCall ids.
      const callIds = sent.contents.flatMap((c) => c.parts.flatMap((p) => (p.functionCall?.id ? [p.functionCall.id] : [])));
      const responseIds = sent.contents.flatMap((c) => c.parts.flatMap((p) => (p.functionResponse?.id ? [p.functionResponse.id] : [])));
      expect(responseIds).toEqual(callIds);
      expect(ctx.warnings.filter((w) => w.param === "messages")).toEqual([]);
      const message = completion.choices[0]!.message;
      if (turn === interactions.length - 1) break;
      expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
      const ids = message.tool_calls!.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(message.tool_calls!.every((c) => c.function.name === "generate_topic" && c.function.arguments === "{}")).toBe(true);
      // Parallel calls: only the first carries a signature, keyed by its id.
      expect(message.reasoning_details).toEqual([{ type: "reasoning.encrypted", data: expect.any(String), format: "google-gemini-v1", id: ids[0] }]);
      messages.push({ role: "assistant", content: message.content, tool_calls: message.tool_calls, reasoning_details: message.reasoning_details });
      for (const id of ids) messages.push({ role: "tool", tool_call_id: id, content: topics.shift() });
    }
    const last = completion!.choices[0]!.message.tool_calls!;
    expect(last).toHaveLength(1);
    expect(last[0]!.function.name).toBe("final_result");
    expect((JSON.parse(last[0]!.function.arguments) as { response: string[] }).response).toHaveLength(3);
    // The second request sent the first response's signature back on its own call, unchanged.
    const second = upstream.requests[1]!.json as { contents: Array<{ parts: Array<{ thoughtSignature?: string; functionResponse?: { response: unknown } }> }> };
    const firstResponse = interactions[0]!.response.parsed_body as { candidates: Array<{ content: { parts: Array<{ thoughtSignature?: string }> } }> };
    expect(second.contents[1]!.parts.map((p) => p.thoughtSignature)).toEqual([firstResponse.candidates[0]!.content.parts[0]!.thoughtSignature, undefined, undefined]);
    expect(second.contents[2]!.parts.map((p) => p.functionResponse?.response)).toEqual([{ result: "cars" }, { result: "penguins" }, { result: "cars" }]);
  });

  it("test_model_name_suggestion[google].yaml: 404 NOT_FOUND is model_not_found (a reason to fall back)", async () => {
    const file = "test_model_name_suggestion[google].yaml";
    covered.add(file);
    const [interaction] = fixtureCassette(`google/${file}`);
    upstream.next(replay(interaction!));
    const error = await provider.chat(chatCall({ messages: [{ role: "user", content: "hello" }] }, "gemini-3.6-flahs"), providerContext()).catch((e: unknown) => e);
    expect(upstream.requests[0]!.url).toBe("/v1beta/models/gemini-3.6-flahs:generateContent");
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 404, code: "model_not_found", isRetryable: true, upstream: { kind: "model_not_found", status: 404 } });
  });
});

describe("google provider: recorded error bodies", () => {
  it("google-429-retry-info.json: rate limited, retry hint from RetryInfo", async () => {
    covered.add("google-429-retry-info.json");
    upstream.next(json(429, fixtureJson("google/google-429-retry-info.json")));
    const error = (await provider.chat(chatCall(hi), providerContext()).catch((e: unknown) => e)) as GatewayError;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded", isRetryable: true, upstream: { kind: "rate_limited", status: 429, retryAfterMs: 34_400 } });
    expect(error.headers["retry-after"]).toBe("35");
  });

  it("google-429-retry-info.json: a retry-after header wins over the body", async () => {
    upstream.next(json(429, fixtureJson("google/google-429-retry-info.json"), { "retry-after": "3" }));
    const error = (await provider.chat(chatCall(hi), providerContext()).catch((e: unknown) => e)) as GatewayError;
    expect(error.upstream?.retryAfterMs).toBe(3000);
    expect(error.headers["retry-after"]).toBe("3");
  });

  it("issue-8943-gemini-2.5-flash-error.json: 400 INVALID_ARGUMENT reaches the caller as a 400", async () => {
    covered.add("issue-8943-gemini-2.5-flash-error.json");
    upstream.next(json(400, fixtureJson("google/issue-8943-gemini-2.5-flash-error.json")));
    const error = (await provider.chat(chatCall({ ...hi, presence_penalty: 0.5 }), providerContext()).catch((e: unknown) => e)) as GatewayError;
    expect(error).toMatchObject({ status: 400, code: "invalid_argument", message: "Penalty is not enabled for models/gemini-2.5-flash", isRetryable: false, expose: true, upstream: { kind: "bad_request" } });
  });

  it("every Google fixture is replayed by this suite", () => {
    const files = readdirSync(join(FIXTURES, "google"));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
  });
});
