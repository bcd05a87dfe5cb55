import { describe, expect, it } from "vitest";
import { chatRequestSchema } from "../../src/schemas/chat-request-schema.js";
import { completionRequestSchema } from "../../src/schemas/completion-request-schema.js";
import { formatPath, parseBody } from "../../src/schemas/parse-body.js";
import { GatewayError } from "../../src/errors/gateway-error.js";

const msgs = [{ role: "user", content: "hi" }];
const chat = (extra: Record<string, unknown>) => ({ model: "m/x", messages: msgs, ...extra });

function errorOf(body: unknown, schema: typeof chatRequestSchema | typeof completionRequestSchema = chatRequestSchema): GatewayError {
  try {
    parseBody(schema, body);
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error("expected a validation error");
}

describe("formatPath", () => {
  it.each([
    [[], ""],
    [["model"], "model"],
    [["messages", 0, "content"], "messages[0].content"],
    [["messages", 2, "content", 1, "image_url", "url"], "messages[2].content[1].image_url.url"],
    [["logit_bias", "50256"], "logit_bias.50256"],
    [[0, "a"], "[0].a"],
  ])("%j -> %s", (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe("parseBody param paths", () => {
  it.each([
    ["model a number", chat({ model: 1 }), "model"],
    ["no model", { messages: msgs }, "model"],
    ["messages empty", chat({ messages: [] }), "messages"],
    ["user content a number", chat({ messages: [{ role: "user", content: 1 }] }), "messages[0].content"],
    ["second message's image url", chat({ messages: [msgs[0], { role: "user", content: [{ type: "image_url", image_url: { url: "" } }] }] }), "messages[1].content[0].image_url.url"],
    ["tool name", chat({ tools: [{ type: "function", function: { name: "a b" } }] }), "tools[0].function.name"],
    ["duplicate tool", chat({ tools: [{ type: "function", function: { name: "a" } }, { type: "function", function: { name: "a" } }] }), "tools[1].function.name"],
    ["tool_choice names a missing tool", chat({ tools: [{ type: "function", function: { name: "a" } }], tool_choice: { type: "function", function: { name: "b" } } }), "tool_choice"],
    ["logit_bias entry", chat({ logit_bias: { "50256": 101 } }), "logit_bias.50256"],
    ["stop 5 items", chat({ stop: ["1", "2", "3", "4", "5"] }), "stop"],
    ["top_logprobs without logprobs", chat({ top_logprobs: 1 }), "top_logprobs"],
    ["stream_options without stream", chat({ stream_options: {} }), "stream_options"],
    ["json_schema name", chat({ response_format: { type: "json_schema", json_schema: {} } }), "response_format.json_schema.name"],
    ["assistant tool call id", chat({ messages: [{ role: "assistant", tool_calls: [{ id: "", type: "function", function: { name: "f", arguments: "{}" } }] }] }), "messages[0].tool_calls[0].id"],
    ["file part without data", chat({ messages: [{ role: "user", content: [{ type: "file", file: {} }] }] }), "messages[0].content[0].file"],
  ])("%s -> %s", (_label, body, param) => {
    const e = errorOf(body);
    expect(e).toBeInstanceOf(GatewayError);
    expect(e.status).toBe(400);
    expect(e.param).toBe(param);
    expect(e.message).toContain(param);
  });

  it.each([
    ["prompt missing", { model: "m/x" }, "prompt"],
    ["prompt empty array", { model: "m/x", prompt: [] }, "prompt"],
    ["n too big", { model: "m/x", prompt: "x", n: 129 }, "n"],
  ])("completions: %s -> %s", (_label, body, param) => {
    expect(errorOf(body, completionRequestSchema).param).toBe(param);
  });

  it.each([[null], [[]], ["text"], [5]])("a non-object body %j is a 400 without param", (body) => {
    const e = errorOf(body);
    expect(e.status).toBe(400);
    expect(e.param).toBeNull();
  });

  // zod 4 already ends the issue path with the discriminator; it must not be appended twice.
  it.each([
    ["unknown role", chat({ messages: [{ role: "wizard", content: "x" }] }), "messages[0].role"],
    ["unknown content part", chat({ messages: [{ role: "user", content: [{ type: "video" }] }] }), "messages[0].content[0].type"],
    ["unknown response_format type", chat({ response_format: { type: "xml" } }), "response_format.type"],
  ])("discriminated unions: %s -> %s", (_label, body, param) => {
    expect(errorOf(body).param).toBe(param);
  });

  it("keeps unknown top-level fields for pass-through", () => {
    expect(parseBody(chatRequestSchema, chat({ vendor_extra: { a: 1 } }))).toMatchObject({ vendor_extra: { a: 1 } });
  });
});
