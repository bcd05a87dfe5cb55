import { describe, expect, it } from "vitest";
import { chatRequestSchema } from "../../src/schemas/chat-request-schema.js";
import { readPlainChatRequest } from "../../src/schemas/read-plain-chat-request.js";
import { seeded } from "../helpers/seeded.js";

const NUMBERS = [0, -0, 1, 2, 2.0001, -1, -2, -2.5, 0.5, 1.5, 128, 129, 64, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 3.7, 1e300];
const ODD = [null, true, false, "", "x", "1", [], {}, [1], { a: 1 }];

/**
 * Values for each field the reader may take, valid and invalid alike, plus
 * fields it leaves to zod (tools, models, ...), so every branch shows.
 */
const FIELD_VALUES: Record<string, unknown[]> = {
  model: ["openai/gpt-4o-mini", "", 1, null, ["a"]],
  stream: [true, false, null, "true", 1],
  stream_options: [{ include_usage: true }, { include_usage: false }, {}, null, { include_usage: "yes" }, { include_usage: true, extra: 1 }, [], "x"],
  max_tokens: [...NUMBERS, ...ODD],
  max_completion_tokens: [...NUMBERS, null, "5"],
  temperature: [...NUMBERS, ...ODD],
  top_p: [...NUMBERS, null, "0.5"],
  n: [...NUMBERS, null],
  presence_penalty: [...NUMBERS, null],
  frequency_penalty: [...NUMBERS, null],
  seed: [...NUMBERS, null, "7"],
  user: ["u-1", "", 5, null],
  logprobs: [true, false, null, 1],
  parallel_tool_calls: [true, false, null],
  // Left to zod whatever their value.
  top_logprobs: [2],
  models: [["a/b", "c/d"]],
  route: ["fallback"],
  stop: ["\n", ["a", "b"]],
  tools: [[{ type: "function", function: { name: "f" } }]],
  response_format: [{ type: "json_object" }],
  provider: [{ order: ["a"] }],
  // Unknown to the schema: kept as they are.
  usage: [{ include: true }],
  transforms: [["middle-out"]],
  vendor_extra: [1, null, "x", { deep: [1, 2] }],
};

/** Values the schema takes, picked more often so that many bodies pass. */
const VALID: Record<string, unknown[]> = {
  stream: [true, false],
  stream_options: [{ include_usage: true }],
  max_tokens: [1, 64, 2 ** 53 - 1, null],
  temperature: [0, 0.7, 2, null],
  user: ["u-1"],
};

const ROLES = ["system", "developer", "user", "assistant", "tool", "bogus", 1];
const CONTENTS = ["hello", "", null, 1, [{ type: "text", text: "hi" }], [{ type: "image_url", image_url: { url: "https://x/y.png" } }]];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function message(r: () => number): unknown {
  const roll = r();
  if (roll < 0.03) return pick(r, [null, "hi", [], 5]);
  const m: Record<string, unknown> = {};
  // Either field order, as clients send them.
  const keys = r() < 0.5 ? ["role", "content"] : ["content", "role"];
  for (const k of keys) {
    if (r() < 0.01) continue;
    m[k] = k === "role" ? (r() < 0.9 ? pick(r, ["system", "user", "assistant", "developer"]) : pick(r, ROLES)) : r() < 0.92 ? `text ${Math.floor(r() * 100)}` : pick(r, CONTENTS);
  }
  if (r() < 0.15) m.name = r() < 0.8 ? "alice" : pick(r, [1, null, ""]);
  if (r() < 0.02) m.tool_call_id = "call_1";
  if (r() < 0.02) m.extra = { x: 1 };
  return m;
}

function body(r: () => number): Record<string, unknown> {
  const b: Record<string, unknown> = {};
  const fields = Object.keys(FIELD_VALUES).sort(() => r() - 0.5);
  // Four bodies in ten carry only the common options (which may still hold an invalid value).
  const commonOnly = r() < 0.4;
  // The common start: model and messages, mostly present and mostly valid.
  if (r() < 0.95) b.model = r() < 0.9 ? "openai/gpt-4o-mini" : pick(r, FIELD_VALUES.model!);
  if (r() < 0.97) b.messages = r() < 0.97 ? Array.from({ length: 1 + Math.floor(r() * 4) }, () => message(r)) : pick(r, [[], "x", null, {}]);
  for (const f of fields) {
    if (f === "model") continue;
    // Plain options often, the rest rarely, so that a good share of bodies is all plain.
    const chance = ["stream", "stream_options", "max_tokens", "temperature", "user", "usage", "vendor_extra"].includes(f) ? 0.3 : commonOnly ? 0 : 0.05;
    if (r() < chance) b[f] = pick(r, VALID[f] && r() < 0.6 ? VALID[f] : FIELD_VALUES[f]!);
  }
  return b;
}

describe("readPlainChatRequest", () => {
  it("gives what the schema gives (field order included), or leaves the body to it, on 20,000 generated bodies", () => {
    const r = seeded(7);
    let taken = 0;
    let refusedByZod = 0;
    const wrong: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const b = body(r);
      const fast = readPlainChatRequest(b);
      const zod = chatRequestSchema.safeParse(b);
      if (!zod.success) refusedByZod++;
      if (fast === undefined) continue;
      taken++;
      if (!zod.success) wrong.push(`taken, but zod refuses (${zod.error.issues[0]?.message}): ${JSON.stringify(b)}`);
      else if (JSON.stringify(fast) !== JSON.stringify(zod.data)) wrong.push(`differs from zod: ${JSON.stringify(fast)} vs ${JSON.stringify(zod.data)}`);
      if (wrong.length > 5) break;
    }
    expect(wrong).toEqual([]);
    // Both sides were exercised: many bodies taken, many refused (by zod, so by the reader too).
    expect(taken).toBeGreaterThan(2_000);
    expect(refusedByZod).toBeGreaterThan(3_000);
  });

  it("takes the bench's body and an OpenAI SDK streaming body", () => {
    const bench = { model: "up/gpt-4o-mini", messages: [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: "Say hello." }], max_tokens: 64, stream: true, stream_options: { include_usage: true } };
    expect(readPlainChatRequest(bench)).toEqual(chatRequestSchema.parse(bench));
    const sdk = JSON.parse('{"messages":[{"role":"user","content":"hi","name":"bob"}],"model":"a/b","stream":true,"temperature":0.2,"user":"u1","usage":{"include":true}}');
    expect(JSON.stringify(readPlainChatRequest(sdk))).toBe(JSON.stringify(chatRequestSchema.parse(sdk)));
  });

  it("copies what it may later change (messages, stream_options); the caller's body stays as it was", () => {
    const given = { model: "a/b", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } };
    const out = readPlainChatRequest(given)!;
    expect(out.messages[0]).not.toBe(given.messages[0]);
    expect(out.stream_options).not.toBe(given.stream_options);
    (out.messages[0] as { content: string }).content = "changed";
    expect(given.messages[0]!.content).toBe("hi");
  });

  it.each([
    ["an own __proto__ field", JSON.parse('{"model":"a/b","messages":[{"role":"user","content":"x"}],"__proto__":{"x":1}}')],
    ["a body with another prototype", Object.assign(Object.create({ model: "a/b" }), { messages: [{ role: "user", content: "x" }] })],
    ["a tool message", { model: "a/b", messages: [{ role: "tool", content: "x", tool_call_id: "c" }] }],
    ["array content", { model: "a/b", messages: [{ role: "user", content: [{ type: "text", text: "x" }] }] }],
    ["a fallback list", { models: ["a/b"], messages: [{ role: "user", content: "x" }] }],
    ["stream_options without stream", { model: "a/b", messages: [{ role: "user", content: "x" }], stream_options: { include_usage: true } }],
    ["an unsafe integer", { model: "a/b", messages: [{ role: "user", content: "x" }], max_tokens: 2 ** 53 }],
  ])("leaves %s to the schema", (_name, b) => {
    expect(readPlainChatRequest(b)).toBeUndefined();
  });
});
