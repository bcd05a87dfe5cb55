import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "modelmux";
import { FakeUpstream } from "../helpers/fake-upstream.js";
import { fixtureJson } from "../helpers/fixtures.js";
import { listen, variant } from "../helpers/http-apps.js";
import { chunks, jsonFixture } from "../helpers/openai-replay.js";
import { expectValid, loadOpenAISpec, validateAgainstSpec } from "../helpers/openapi-validator.js";

const KEY = "sk-e2e-variants-key-0001";
const VENDORS = ["deepseek", "groq", "mistral", "xai", "alibaba"] as const;

interface Assembled {
  chunks: OpenAI.ChatCompletionChunk[];
  content: string;
  reasoning: string;
  calls: Map<number, { id?: string; name?: string; args: string }>;
  finish: string | null;
  usage: OpenAI.CompletionUsage & { cost?: number };
  invalid: string[];
  /** Deltas that still carry the vendor's `reasoning_content` key. */
  leaks: number;
}

/** Reads an SDK stream, assembling content, reasoning and tool calls by index, and collecting spec-invalid chunks. */
async function assemble(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<Assembled> {
  const out: Assembled = { chunks: [], content: "", reasoning: "", calls: new Map(), finish: null, usage: undefined as never, invalid: [], leaks: 0 };
  for await (const c of stream) {
    out.chunks.push(c);
    const check = validateAgainstSpec("CreateChatCompletionStreamResponse", c);
    if (!check.valid) out.invalid.push(check.errors);
    for (const choice of c.choices) {
      const d = choice.delta as OpenAI.ChatCompletionChunk.Choice.Delta & { reasoning?: string; reasoning_content?: string };
      if ("reasoning_content" in d) out.leaks++;
      out.content += d.content ?? "";
      out.reasoning += d.reasoning ?? "";
      for (const t of d.tool_calls ?? []) {
        expect(typeof t.index).toBe("number");
        const acc = out.calls.get(t.index) ?? { args: "" };
        if (t.id !== undefined) {
          expect(t.id, "a continuation delta must not blank the call id").not.toBe("");
          acc.id ??= t.id;
          expect(acc.id).toBe(t.id);
        }
        if (t.function?.name) acc.name = t.function.name;
        acc.args += t.function?.arguments ?? "";
        out.calls.set(t.index, acc);
      }
      if (choice.finish_reason) out.finish = choice.finish_reason;
    }
  }
  const withUsage = out.chunks.filter((c) => c.usage);
  expect(withUsage, "usage exactly once").toHaveLength(1);
  expect(out.chunks.at(-1)).toBe(withUsage[0]);
  out.usage = withUsage[0]!.usage!;
  return out;
}

describe("e2e: OpenAI-compatible variants through the SDK", () => {
  let fake: FakeUpstream;
  let gateway: Gateway;
  let server: Awaited<ReturnType<typeof listen>>;
  let client: OpenAI;

  beforeAll(async () => {
    await loadOpenAISpec();
    fake = await new FakeUpstream().start();
    const providers = Object.fromEntries(VENDORS.map((v) => [v, { type: "openai" as const, baseURL: `${fake.url}/${v}/v1`, apiKey: `sk-${v}` }]));
    const model = (vendor: string, name: string) => ({ id: `${vendor}/${name}`, pricing: { prompt: "1", completion: "2", input_cache_read: "0.1" }, routes: [{ provider: vendor, model: name }] });
    gateway = createGateway({
      providers,
      models: [
        model("deepseek", "deepseek-reasoner"),
        model("groq", "qwen3-32b"),
        model("groq", "llama-3.3-70b-versatile"),
        model("mistral", "magistral-medium-2507"),
        model("mistral", "mistral-small-latest"),
        model("xai", "grok-3-mini"),
        model("alibaba", "qwen3-max"),
      ],
      keys: [KEY],
      retry: { maxRetries: 0, baseDelayMs: 0 },
    });
    server = await listen(variant("express5").create(gateway));
    client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await server.close();
    await gateway.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  const ask = { messages: [{ role: "user" as const, content: "What is the weather in San Francisco?" }] };
  const weatherTool: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: { location: { type: "string" } } } } }];
  const stream = (model: string) => client.chat.completions.create({ model, ...ask, tools: weatherTool, stream: true });
  const sentTo = (vendor: string) => fake.requests.filter((r) => r.url.startsWith(`/${vendor}/v1/chat/completions`)).map((r) => r.json as Record<string, unknown>);

  describe("deepseek", () => {
    it("non-streamed reasoning: reasoning_content becomes `reasoning`", async () => {
      const recorded = fixtureJson<{ choices: Array<{ message: { content: string; reasoning_content: string } }> }>("deepseek/deepseek-reasoning.json");
      fake.next(jsonFixture("deepseek/deepseek-reasoning.json"));
      const res = await client.chat.completions.create({ model: "deepseek/deepseek-reasoner", ...ask });
      expectValid("CreateChatCompletionResponse", res);
      const message = res.choices[0]!.message as OpenAI.ChatCompletionMessage & { reasoning?: string };
      expect(message.reasoning).toBe(recorded.choices[0]!.message.reasoning_content);
      expect(message).not.toHaveProperty("reasoning_content");
      expect(message.content).toBe(recorded.choices[0]!.message.content);
      expect(res.usage).toMatchObject({ prompt_tokens: 18, completion_tokens: 345, completion_tokens_details: { reasoning_tokens: 315 } });
      expect(sentTo("deepseek")[0]).toMatchObject({ model: "deepseek-reasoner" });
    });

    it("non-streamed tool call: the non-spec `index` is dropped, cache hits counted", async () => {
      fake.next(jsonFixture("deepseek/deepseek-tool-call.json"));
      const res = await client.chat.completions.create({ model: "deepseek/deepseek-reasoner", ...ask, tools: weatherTool });
      expectValid("CreateChatCompletionResponse", res);
      const call = res.choices[0]!.message.tool_calls![0]!;
      expect(call).toEqual({ id: "call_00_9V0vrf86Pc9aelHCJMZqnJBo", type: "function", function: { name: "weather", arguments: '{"location": "San Francisco"}' } });
      expect(res.usage?.prompt_tokens_details?.cached_tokens).toBe(320);
      // 19 uncached at 1, 320 cached at 0.1, 92 completion at 2 (USD per 1M).
      expect((res.usage as unknown as { cost: number }).cost).toBeCloseTo((19 * 1 + 320 * 0.1 + 92 * 2) / 1e6, 9);
    });

    it("streamed: reasoning deltas, a tool call, usage from the finish chunk counted once", async () => {
      fake.next(chunks("deepseek/deepseek-tool-call.chunks.txt"));
      const s = await assemble(await stream("deepseek/deepseek-reasoner"));
      expect(s.invalid).toEqual([]);
      expect(s.reasoning.length).toBeGreaterThan(20);
      expect(s.finish).toBe("tool_calls");
      expect([...s.calls.values()].map((c) => c.name)).toEqual(["weather"]);
      expect(JSON.parse([...s.calls.values()][0]!.args)).toEqual({ location: "San Francisco" });
      expect(s.usage).toMatchObject({ prompt_tokens: 339, completion_tokens: 83, prompt_tokens_details: { cached_tokens: 320 }, completion_tokens_details: { reasoning_tokens: 39 } });
      expect(sentTo("deepseek")[0]).toMatchObject({ stream: true, stream_options: { include_usage: true }, model: "deepseek-reasoner" });
    });

    // DeepSeek sends `reasoning_content: null` on its finish chunk; the vendor key must not leak.
    it("streamed: no delta keeps the vendor's reasoning_content key", async () => {
      fake.next(chunks("deepseek/deepseek-tool-call.chunks.txt"));
      const s = await assemble(await stream("deepseek/deepseek-reasoner"));
      expect(s.leaks).toBe(0);
    });
  });

  describe("groq", () => {
    it("non-streamed reasoning in `message.reasoning`", async () => {
      fake.next(jsonFixture("groq/groq-reasoning.json"));
      const res = await client.chat.completions.create({ model: "groq/qwen3-32b", ...ask });
      const message = res.choices[0]!.message as OpenAI.ChatCompletionMessage & { reasoning?: string };
      expect(message.reasoning).toMatch(/^Okay, so the user/);
      expect(message.refusal).toBeNull();
      expect(res.usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 649, total_tokens: 666, completion_tokens_details: { reasoning_tokens: 570 } });
    });

    // Groq sends `service_tier: "on_demand"`, outside the spec's ServiceTier enum: dropped.
    it("non-streamed reasoning body validates against the spec", async () => {
      fake.next(jsonFixture("groq/groq-reasoning.json"));
      const res = await client.chat.completions.create({ model: "groq/qwen3-32b", ...ask });
      expectValid("CreateChatCompletionResponse", res);
    });

    it("a tool call in a message with no content key", async () => {
      fake.next(jsonFixture("groq/groq-tool-call.json"));
      const res = await client.chat.completions.create({ model: "groq/llama-3.3-70b-versatile", ...ask, tools: weatherTool });
      expect(res.choices[0]!.message.content).toBeNull();
      expect(res.choices[0]!.message.tool_calls![0]).toMatchObject({ id: "ax9fskhev", function: { name: "weather", arguments: "{}" } });
      expect(res.usage).toMatchObject({ prompt_tokens: 218, completion_tokens: 15, total_tokens: 233 });
    });

    it("streamed: usage in both `usage` and `x_groq.usage` counted once", async () => {
      fake.next(chunks("groq/groq-tool-call.chunks.txt"));
      const s = await assemble(await stream("groq/llama-3.3-70b-versatile"));
      expect(s.invalid).toEqual([]);
      expect([...s.calls.values()]).toEqual([{ id: "tk85n1k4m", name: "weather", args: "{}" }]);
      expect(s.usage).toMatchObject({ prompt_tokens: 210, completion_tokens: 15, total_tokens: 225 });
    });
  });

  describe("mistral", () => {
    it("streamed Magistral: array content split into reasoning and text", async () => {
      fake.next(chunks("mistral/mistral-reasoning.chunks.txt", { done: false }));
      const s = await assemble(await client.chat.completions.create({ model: "mistral/magistral-medium-2507", messages: [{ role: "user", content: "2+2?" }], stream: true }));
      expect(s.invalid).toEqual([]);
      expect(s.content).toBe("2 + 2 = 4");
      expect(s.reasoning).toBe("The user is asking for 2+2. This is basic arithmetic. 2+2=4.");
      expect(s.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 46, total_tokens: 56 });
    });

    it("streamed tool call without `index` or `type`", async () => {
      fake.next(chunks("mistral/mistral-tool-call.chunks.txt"));
      const s = await assemble(await stream("mistral/mistral-small-latest"));
      expect(s.invalid).toEqual([]);
      expect([...s.calls.entries()]).toEqual([[0, { id: "gSIMJiOkT", name: "weather", args: '{"location": "San Francisco"}' }]]);
      expect(s.chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? [])).every((t) => t.type === undefined || t.type === "function")).toBe(true);
      expect(s.finish).toBe("tool_calls");
      expect(s.usage).toMatchObject({ prompt_tokens: 124, completion_tokens: 22, total_tokens: 146 });
    });
  });

  describe("xai", () => {
    it("non-streamed: reasoning_content normalised, a missing logprobs key filled in", async () => {
      fake.next(jsonFixture("xai/xai-tool-call.json"));
      const res = await client.chat.completions.create({ model: "xai/grok-3-mini", ...ask, tools: weatherTool });
      expectValid("CreateChatCompletionResponse", res);
      const message = res.choices[0]!.message as OpenAI.ChatCompletionMessage & { reasoning?: string };
      expect(message.reasoning).toMatch(/^First, the user/);
      expect(res.choices[0]!.logprobs).toBeNull();
      expect(res.usage?.prompt_tokens_details?.cached_tokens).toBe(244);
    });

    // xAI reports reasoning tokens outside completion_tokens (total 506 = 291 + 26 + 189): they
    // must still be billed at the output price.
    it("non-streamed: reasoning tokens billed (xAI reports them outside completion_tokens)", async () => {
      fake.next(jsonFixture("xai/xai-tool-call.json"));
      const res = await client.chat.completions.create({ model: "xai/grok-3-mini", ...ask, tools: weatherTool });
      expect(res.usage).toMatchObject({ prompt_tokens: 291, completion_tokens: 215, total_tokens: 506, completion_tokens_details: { reasoning_tokens: 189 } });
    });

    it("streamed: choices without finish_reason until the end, usage chunk with choices []", async () => {
      fake.next(chunks("xai/xai-tool-call.chunks.txt"));
      const s = await assemble(await stream("xai/grok-3-mini"));
      expect(s.invalid).toEqual([]);
      expect(s.leaks).toBe(0);
      expect(s.reasoning).toBe("First, the user is");
      expect([...s.calls.values()]).toEqual([{ id: "call_55117580", name: "weather", args: '{"location":"San Francisco"}' }]);
      expect(s.usage).toMatchObject({ prompt_tokens: 291, prompt_tokens_details: { cached_tokens: 290 }, completion_tokens_details: { reasoning_tokens: 196 } });
    });
  });

  describe("alibaba", () => {
    it("streamed: continuation deltas with id '' do not overwrite the call id; usage once", async () => {
      fake.next(chunks("alibaba/alibaba-tool-call.chunks.txt"));
      const s = await assemble(await stream("alibaba/qwen3-max"));
      expect([...s.calls.entries()]).toEqual([[0, { id: "call_eee11723464a4b9eb8cee71d", name: "weather", args: '{"location": "San Francisco"}' }]]);
      expect(s.finish).toBe("tool_calls");
      expect(s.usage).toMatchObject({ prompt_tokens: 295, completion_tokens: 22, total_tokens: 317 });
    });

    // DashScope sends `system_fingerprint: null`; the spec's chunk schema wants a string: dropped.
    it("streamed chunks validate against the spec", async () => {
      fake.next(chunks("alibaba/alibaba-tool-call.chunks.txt"));
      const s = await assemble(await stream("alibaba/qwen3-max"));
      expect(s.invalid).toEqual([]);
    });
  });
});
