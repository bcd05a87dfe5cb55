/**
 * Issue 3's end-to-end check: the official `openai` SDK drives a streamed,
 * three-turn conversation with parallel tool calls through the gateway,
 * once per upstream API (OpenAI, Anthropic Messages, Gemini). Each fake
 * upstream speaks its own wire format; the OpenAI-shaped transcript the
 * caller sees must be the same for all three.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "modelmux";
import { expressGateway } from "modelmux/express";
import { FakeUpstream, sse, type RecordedRequest } from "../helpers/fake-upstream.js";
import { expectValid, loadOpenAISpec } from "../helpers/openapi-validator.js";

interface ScriptedCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}
interface ScriptedTurn {
  text?: string;
  calls?: ScriptedCall[];
}

/** What the model "says" on each turn, whatever the provider. */
const SCRIPT: ScriptedTurn[] = [
  { calls: [{ id: "c1", name: "get_weather", args: { city: "Paris" } }, { id: "c2", name: "get_weather", args: { city: "London", unit: "celsius" } }] },
  { text: "Checking the time too.", calls: [{ id: "c3", name: "get_time", args: { city: "Paris" } }] },
  { text: "Paris is sunny, London is rainy, and it is noon in Paris." },
];

/** Splits a string in two, so arguments arrive as several deltas. */
const halves = (s: string) => [s.slice(0, Math.ceil(s.length / 2)), s.slice(Math.ceil(s.length / 2))];

function openaiStream(turn: ScriptedTurn, n: number): string[] {
  const base = { id: `chatcmpl-${n}`, object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini-2024-07-18" };
  const out: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }];
  if (turn.text) for (const piece of halves(turn.text)) out.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
  (turn.calls ?? []).forEach((c, index) => {
    out.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: `call_${c.id}`, type: "function", function: { name: c.name, arguments: "" } }] }, finish_reason: null }] });
    for (const piece of halves(JSON.stringify(c.args))) out.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: piece } }] }, finish_reason: null }] });
  });
  out.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: turn.calls ? "tool_calls" : "stop" }] });
  out.push({ ...base, choices: [], usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 } });
  return out.map((o) => JSON.stringify(o));
}

function anthropicStream(turn: ScriptedTurn, n: number): string[] {
  const out: unknown[] = [
    { type: "message_start", message: { id: `msg_${n}`, type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 50, output_tokens: 1 } } },
    { type: "ping" },
  ];
  let block = 0;
  if (turn.text) {
    out.push({ type: "content_block_start", index: block, content_block: { type: "text", text: "" } });
    for (const piece of halves(turn.text)) out.push({ type: "content_block_delta", index: block, delta: { type: "text_delta", text: piece } });
    out.push({ type: "content_block_stop", index: block++ });
  }
  for (const c of turn.calls ?? []) {
    out.push({ type: "content_block_start", index: block, content_block: { type: "tool_use", id: `toolu_${c.id}`, name: c.name, input: {} } });
    for (const piece of halves(JSON.stringify(c.args))) out.push({ type: "content_block_delta", index: block, delta: { type: "input_json_delta", partial_json: piece } });
    out.push({ type: "content_block_stop", index: block++ });
  }
  out.push({ type: "message_delta", delta: { stop_reason: turn.calls ? "tool_use" : "end_turn", stop_sequence: null }, usage: { output_tokens: 20 } });
  out.push({ type: "message_stop" });
  return out.map((o) => JSON.stringify(o));
}

function geminiStream(turn: ScriptedTurn, n: number): string[] {
  // Gemini sends whole function calls in one chunk and repeats cumulative usage on every chunk.
  const usage = { promptTokenCount: 50, candidatesTokenCount: 20, totalTokenCount: 70 };
  const out: unknown[] = [];
  if (turn.text) {
    for (const piece of halves(turn.text)) out.push({ candidates: [{ content: { role: "model", parts: [{ text: piece }] }, index: 0 }], usageMetadata: usage, responseId: `resp${n}` });
  }
  if (turn.calls) {
    out.push({ candidates: [{ content: { role: "model", parts: turn.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } })) }, index: 0 }], usageMetadata: usage, responseId: `resp${n}` });
  }
  out.push({ candidates: [{ content: { role: "model", parts: [{ text: "" }] }, finishReason: "STOP", index: 0 }], usageMetadata: usage, responseId: `resp${n}` });
  return out.map((o) => JSON.stringify(o));
}

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: "function", function: { name: "get_weather", description: "Weather now", parameters: { type: "object", properties: { city: { type: "string" }, unit: { type: "string" } }, required: ["city"] } } },
  { type: "function", function: { name: "get_time", description: "Local time", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
];

interface TranscriptTurn {
  content: string | null;
  finish_reason: string;
  calls: Array<{ index: number; name: string; args: unknown }>;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
}

const upstreams = { openai: new FakeUpstream(), anthropic: new FakeUpstream(), google: new FakeUpstream() };
let gateway: Gateway;
let server: Server;
let client: OpenAI;

beforeAll(async () => {
  await loadOpenAISpec();
  await Promise.all(Object.values(upstreams).map((u) => u.start()));
  gateway = createGateway({
    providers: {
      oa: { type: "openai", baseURL: `${upstreams.openai.url}/v1`, apiKey: "sk-openai" },
      an: { type: "anthropic", baseURL: upstreams.anthropic.url, apiKey: "sk-ant" },
      gg: { type: "google", baseURL: `${upstreams.google.url}/v1beta`, apiKey: "gk" },
    },
    models: [
      { id: "oa/gpt-4o-mini", pricing: { prompt: "0.15", completion: "0.6" }, routes: [{ provider: "oa", model: "gpt-4o-mini" }] },
      { id: "an/claude-sonnet-4-5", pricing: { prompt: "3", completion: "15" }, routes: [{ provider: "an", model: "claude-sonnet-4-5" }] },
      { id: "gg/gemini-2.5-flash", pricing: { prompt: "0.3", completion: "2.5" }, routes: [{ provider: "gg", model: "gemini-2.5-flash" }] },
    ],
    keys: ["test-key-123456"],
    retry: { maxRetries: 0 },
  });
  const app = express();
  app.use("/v1", expressGateway(gateway));
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  client = new OpenAI({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: "test-key-123456", maxRetries: 0 });
});

afterAll(async () => {
  server.close();
  await gateway.close();
  await Promise.all(Object.values(upstreams).map((u) => u.stop()));
});

/** Runs the three turns through the SDK, answering every tool call, and returns what the caller saw. */
async function converse(model: string, upstream: FakeUpstream, encode: (t: ScriptedTurn, n: number) => string[], frame: { eventNames?: boolean; eol?: string; done?: boolean }) {
  upstream.reset();
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
    { role: "system", content: "You are terse." },
    { role: "user", content: "What is the weather in Paris and London?" },
  ];
  const transcript: TranscriptTurn[] = [];
  for (const [n, turn] of SCRIPT.entries()) {
    upstream.next(sse(encode(turn, n), frame));
    const stream = client.chat.completions.stream({ model, messages, tools: TOOLS, stream: true });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    stream.on("chunk", (c) => chunks.push(c));
    const final = await stream.finalChatCompletion();
    for (const c of chunks) expectValid("CreateChatCompletionStreamResponse", c);
    // Each tool call's id, type and name come once, on its own first delta.
    const firstDeltas = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? [])).filter((d) => d.id !== undefined);
    expect(firstDeltas.map((d) => d.index)).toEqual((turn.calls ?? []).map((_, i) => i));
    expect(firstDeltas.every((d) => d.type === "function" && typeof d.function?.name === "string")).toBe(true);
    const usageChunks = chunks.filter((c) => c.usage);
    expect(usageChunks).toHaveLength(1);
    expect(chunks.at(-1)?.usage).toBeTruthy();

    const message = final.choices[0]!.message;
    const calls = (message.tool_calls ?? []).map((c, index) => {
      if (c.type !== "function") throw new Error("unexpected tool call type");
      return { index, name: c.function.name, args: JSON.parse(c.function.arguments) as unknown, id: c.id };
    });
    transcript.push({
      content: message.content || null,
      finish_reason: final.choices[0]!.finish_reason,
      calls: calls.map(({ index, name, args }) => ({ index, name, args })),
      usage: usageChunks[0]?.usage ? { prompt_tokens: usageChunks[0].usage.prompt_tokens, completion_tokens: usageChunks[0].usage.completion_tokens } : null,
    });
    expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
    messages.push({ role: "assistant", content: message.content ?? null, tool_calls: message.tool_calls });
    for (const c of calls) messages.push({ role: "tool", tool_call_id: c.id, content: JSON.stringify({ ok: true, for: c.args }) });
  }
  return { transcript, requests: [...upstream.requests] };
}

const turnsOf = (requests: RecordedRequest[]) => requests.map((r) => r.json as Record<string, unknown>);

describe("a streamed three-turn parallel tool-call conversation through the openai SDK", () => {
  let reference: TranscriptTurn[];

  it("against an OpenAI upstream", async () => {
    const { transcript, requests } = await converse("oa/gpt-4o-mini", upstreams.openai, openaiStream, { done: true });
    reference = transcript;
    expect(transcript.map((t) => t.finish_reason)).toEqual(["tool_calls", "tool_calls", "stop"]);
    expect(transcript[0]!.calls).toEqual([
      { index: 0, name: "get_weather", args: { city: "Paris" } },
      { index: 1, name: "get_weather", args: { city: "London", unit: "celsius" } },
    ]);
    const third = turnsOf(requests)[2]!;
    expect((third.messages as unknown[]).filter((m) => (m as { role: string }).role === "tool")).toHaveLength(3);
    expect(third.stream_options).toEqual({ include_usage: true });
  });

  it("against an Anthropic upstream gives the same transcript", async () => {
    const { transcript, requests } = await converse("an/claude-sonnet-4-5", upstreams.anthropic, anthropicStream, { eventNames: true });
    expect(transcript).toEqual(reference);
    // The second request carries both tool results in one user turn, ids preserved.
    const second = turnsOf(requests)[1]! as { system: unknown; messages: Array<{ role: string; content: Array<{ type: string; id?: string; tool_use_id?: string }> }> };
    expect(JSON.stringify(second.system)).toContain("You are terse.");
    expect(second.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(second.messages[1]!.content.filter((b) => b.type === "tool_use").map((b) => b.id)).toEqual(["toolu_c1", "toolu_c2"]);
    expect(second.messages[2]!.content.map((b) => b.tool_use_id)).toEqual(["toolu_c1", "toolu_c2"]);
    expect(requests[0]!.headers["x-api-key"]).toBe("sk-ant");
  });

  it("against a Gemini upstream gives the same transcript", async () => {
    const { transcript, requests } = await converse("gg/gemini-2.5-flash", upstreams.google, geminiStream, { eol: "\r\n" });
    expect(transcript).toEqual(reference);
    // Gemini gives no call ids: the gateway made them, and maps each result back to its function name.
    const third = turnsOf(requests)[2]! as { contents: Array<{ role: string; parts: Array<{ functionCall?: { name: string }; functionResponse?: { name: string } }> }> };
    const responses = third.contents.flatMap((c) => c.parts.filter((p) => p.functionResponse).map((p) => p.functionResponse!.name));
    expect(responses).toEqual(["get_weather", "get_weather", "get_time"]);
    expect(requests[0]!.url).toContain(":streamGenerateContent?alt=sse");
    expect(requests[0]!.headers["x-goog-api-key"]).toBe("gk");
  });
});
