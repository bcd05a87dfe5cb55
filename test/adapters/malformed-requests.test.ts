import request from "supertest";
import { describe, expect, it } from "vitest";
import { APP_VARIANTS } from "../helpers/http-apps.js";
import { expectValid } from "../helpers/openapi-validator.js";
import { CONTRACT_KEY, useContractApp } from "./http-contract.js";

interface Case {
  name: string;
  path?: "/chat/completions" | "/completions";
  /** An object is sent as JSON; a string is sent as-is. */
  body: unknown;
  contentType?: string;
  status?: number;
  /** Expected `param` (null: none); undefined: not checked. */
  param?: string | null;
  code?: string;
  /** The body is not a JSON object or array: a host body parser (strict) refuses it itself. */
  hostParserRefuses?: boolean;
  /** A host body parser turns this body into `{}` before the gateway sees it (still a 400, another param). */
  hostParserAlters?: boolean;
  messageIncludes?: string;
}

const msgs = [{ role: "user", content: "hi" }];
const chat = (extra: Record<string, unknown>) => ({ model: "mock/echo", messages: msgs, ...extra });
const tool = (name: string) => ({ type: "function", function: { name, parameters: { type: "object", properties: {} } } });

/** At least 40 malformed requests; each must get a 4xx JSON error naming its parameter. */
export const MALFORMED: Case[] = [
  // The body itself
  { name: "truncated JSON", body: '{"model":"mock/echo","messages":[', param: null, code: "invalid_json", hostParserRefuses: true },
  { name: "JSON with a trailing comma", body: '{"model":"mock/echo",}', param: null, code: "invalid_json", hostParserRefuses: true },
  { name: "single-quoted pseudo JSON", body: "{'model':'mock/echo'}", param: null, hostParserRefuses: true },
  { name: "a JSON string body", body: '"hello"', param: null, hostParserRefuses: true },
  { name: "a JSON number body", body: "42", param: null, hostParserRefuses: true },
  { name: "a JSON null body", body: "null", param: null, hostParserRefuses: true },
  { name: "an empty array body", body: "[]", param: null },
  { name: "an array of requests", body: JSON.stringify([chat({})]), param: null },
  { name: "an empty body", body: "", param: null, hostParserAlters: true },
  { name: "a whitespace body", body: "   \n  ", param: null, hostParserRefuses: true },
  { name: "text/plain content type", body: JSON.stringify(chat({})), contentType: "text/plain", param: null, code: "invalid_content_type" },
  { name: "form content type", body: "model=mock%2Fecho&messages=hi", contentType: "application/x-www-form-urlencoded", param: null, code: "invalid_content_type" },
  { name: "an empty object", body: {}, param: "messages" },
  // model / models / route
  { name: "model missing", body: { messages: msgs }, param: "model" },
  { name: "model null", body: chat({ model: null }), param: "model" },
  { name: "model a number", body: chat({ model: 123 }), param: "model" },
  { name: "model empty", body: chat({ model: "" }), param: "model" },
  { name: "model unknown (404 with close matches)", body: chat({ model: "mock/echoo" }), status: 404, code: "model_not_found", param: "model", messageIncludes: "mock/echo" },
  { name: "models list empty", body: { messages: msgs, models: [] }, param: "models" },
  { name: "models not an array", body: { messages: msgs, models: "mock/echo" }, param: "models" },
  { name: "models naming an unknown model", body: { messages: msgs, models: ["mock/echo", "mock/nope"], route: "fallback" }, status: 404, code: "model_not_found", param: "models[1]" },
  { name: "route not 'fallback'", body: chat({ route: "random" }), param: "route" },
  { name: "an embedding model on chat", body: chat({ model: "mock/embed" }), param: "model" },
  // messages
  { name: "messages missing", body: { model: "mock/echo" }, param: "messages" },
  { name: "messages a string", body: chat({ messages: "hi" }), param: "messages" },
  { name: "messages empty", body: chat({ messages: [] }), param: "messages" },
  { name: "a null message", body: chat({ messages: [null] }), param: "messages[0]" },
  { name: "a message without role", body: chat({ messages: [{ content: "hi" }] }), param: "messages[0].role" },
  { name: "an unknown role", body: chat({ messages: [{ role: "wizard", content: "hi" }] }), param: "messages[0].role" },
  { name: "user content a number", body: chat({ messages: [{ role: "user", content: 42 }] }), param: "messages[0].content" },
  { name: "an unknown content part type", body: chat({ messages: [{ role: "user", content: [{ type: "video", video: "x" }] }] }), param: "messages[0].content[0].type" },
  { name: "image_url without url", body: chat({ messages: [{ role: "user", content: [{ type: "image_url", image_url: {} }] }] }), param: "messages[0].content[0].image_url.url" },
  { name: "image detail out of enum", body: chat({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png", detail: "ultra" } }] }] }), param: "messages[0].content[0].image_url.detail" },
  { name: "a file part without data or id", body: chat({ messages: [{ role: "user", content: [{ type: "file", file: { filename: "a.pdf" } }] }] }), param: "messages[0].content[0].file" },
  { name: "a tool message without tool_call_id", body: chat({ messages: [{ role: "tool", content: "42" }] }), param: "messages[0].tool_call_id" },
  { name: "an assistant tool call without function", body: chat({ messages: [{ role: "assistant", tool_calls: [{ id: "c1", type: "function" }] }, ...msgs] }), param: "messages[0].tool_calls[0].function" },
  { name: "a message name that is a number", body: chat({ messages: [{ role: "user", content: "hi", name: 5 }] }), param: "messages[0].name" },
  { name: "an image for a text-only model (422)", body: chat({ model: "openai/gpt-4.1-nano", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }] }] }), status: 422, code: "unsupported_modality", param: "messages[0].content" },
  // scalar parameters
  { name: "stream a string", body: chat({ stream: "yes" }), param: "stream" },
  { name: "stream_options without stream", body: chat({ stream_options: { include_usage: true } }), param: "stream_options" },
  { name: "temperature a string", body: chat({ temperature: "hot" }), param: "temperature" },
  { name: "temperature above 2", body: chat({ temperature: 5 }), param: "temperature" },
  { name: "temperature overflowing to Infinity", body: '{"model":"mock/echo","messages":[{"role":"user","content":"hi"}],"temperature":1e400}', param: "temperature" },
  { name: "top_p above 1", body: chat({ top_p: 1.5 }), param: "top_p" },
  { name: "n zero", body: chat({ n: 0 }), param: "n" },
  { name: "n out of range", body: chat({ n: 1000 }), param: "n" },
  { name: "n fractional", body: chat({ n: 1.5 }), param: "n" },
  { name: "max_tokens negative", body: chat({ max_tokens: -1 }), param: "max_tokens" },
  { name: "max_tokens a string", body: chat({ max_tokens: "100" }), param: "max_tokens" },
  { name: "max_completion_tokens fractional", body: chat({ max_completion_tokens: 10.5 }), param: "max_completion_tokens" },
  { name: "max_tokens a huge number", body: chat({ max_tokens: 1e308 }), param: "max_tokens" },
  { name: "seed beyond safe integers", body: chat({ seed: 1e300 }), param: "seed" },
  { name: "max_completion_tokens beyond the context", body: chat({ max_completion_tokens: 10_000_000 }), code: "context_length_exceeded" },
  { name: "stop with 5 items", body: chat({ stop: ["a", "b", "c", "d", "e"] }), param: "stop" },
  { name: "stop a number", body: chat({ stop: 42 }), param: "stop" },
  { name: "presence_penalty above 2", body: chat({ presence_penalty: 3 }), param: "presence_penalty" },
  { name: "frequency_penalty below -2", body: chat({ frequency_penalty: -3 }), param: "frequency_penalty" },
  { name: "logit_bias value out of range", body: chat({ logit_bias: { "50256": 500 } }), param: "logit_bias.50256" },
  { name: "logprobs a string", body: chat({ logprobs: "true" }), param: "logprobs" },
  { name: "top_logprobs without logprobs", body: chat({ top_logprobs: 3 }), param: "top_logprobs" },
  { name: "top_logprobs above 20", body: chat({ logprobs: true, top_logprobs: 50 }), param: "top_logprobs" },
  { name: "seed fractional", body: chat({ seed: 1.5 }), param: "seed" },
  { name: "user a number", body: chat({ user: 5 }), param: "user" },
  { name: "reasoning_effort out of enum", body: chat({ reasoning_effort: "max" }), param: "reasoning_effort" },
  { name: "metadata with a non-string value", body: chat({ metadata: { a: 1 } }), param: "metadata.a" },
  // tools
  { name: "tools not an array", body: chat({ tools: "none" }), param: "tools" },
  { name: "a tool without function", body: chat({ tools: [{ type: "function" }] }), param: "tools[0].function" },
  { name: "a tool name with spaces", body: chat({ tools: [tool("bad name!")] }), param: "tools[0].function.name" },
  { name: "a tool of unknown type", body: chat({ tools: [{ type: "retrieval", function: { name: "x" } }] }), param: "tools[0].type" },
  { name: "duplicate tool names", body: chat({ tools: [tool("a"), tool("a")] }), param: "tools[1].function.name" },
  { name: "tool parameters not an object", body: chat({ tools: [{ type: "function", function: { name: "f", parameters: "{}" } }] }), param: "tools[0].function.parameters" },
  { name: "tool_choice out of enum", body: chat({ tools: [tool("a")], tool_choice: "sometimes" }), param: "tool_choice" },
  { name: "tool_choice naming a missing tool", body: chat({ tools: [tool("a")], tool_choice: { type: "function", function: { name: "b" } } }), param: "tool_choice" },
  { name: "parallel_tool_calls a string", body: chat({ parallel_tool_calls: "yes" }), param: "parallel_tool_calls" },
  // response_format
  { name: "response_format a string", body: chat({ response_format: "json" }), param: "response_format" },
  { name: "response_format of unknown type", body: chat({ response_format: { type: "xml" } }), param: "response_format.type" },
  { name: "json_schema without json_schema", body: chat({ response_format: { type: "json_schema" } }), param: "response_format.json_schema" },
  { name: "json_schema without a name", body: chat({ response_format: { type: "json_schema", json_schema: { schema: { type: "object" } } } }), param: "response_format.json_schema.name" },
  // legacy completions
  { name: "completions without prompt", path: "/completions", body: { model: "mock/echo" }, param: "prompt" },
  { name: "completions prompt an empty array", path: "/completions", body: { model: "mock/echo", prompt: [] }, param: "prompt" },
  { name: "completions prompt a number", path: "/completions", body: { model: "mock/echo", prompt: 5 }, param: "prompt" },
  { name: "completions model null", path: "/completions", body: { model: null, prompt: "x" }, param: "model" },
  { name: "completions n zero", path: "/completions", body: { model: "mock/echo", prompt: "x", n: 0 }, param: "n" },
  { name: "completions stop with 5 items", path: "/completions", body: { model: "mock/echo", prompt: "x", stop: ["a", "b", "c", "d", "e"] }, param: "stop" },
  { name: "completions unknown model", path: "/completions", body: { model: "gpt-nope", prompt: "x" }, status: 404, code: "model_not_found", param: "model" },
  { name: "completions bad JSON", path: "/completions", body: '{"prompt":', param: null, hostParserRefuses: true },
];

describe("malformed request corpus", () => {
  it("has at least 40 cases", () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(40);
  });
});

for (const v of APP_VARIANTS) {
  describe(`malformed requests: ${v.name}`, () => {
    const env = useContractApp(v);

    for (const c of MALFORMED) it(c.name, async () => {
      const text = typeof c.body === "string" ? c.body : JSON.stringify(c.body);
      const res = await request(env.app)
        .post(`/v1${c.path ?? "/chat/completions"}`)
        .set("authorization", `Bearer ${CONTRACT_KEY}`)
        .set("content-type", c.contentType ?? "application/json")
        .timeout({ response: 5000, deadline: 8000 })
        .send(text);
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      if (v.hostBodyParser && c.hostParserRefuses) return; // the host's own parser answered (its 400, its format)
      expect(res.status).toBe(c.status ?? 400);
      if (v.hostBodyParser && c.hostParserAlters) {
        expectValid("ErrorResponse", res.body);
        return;
      }
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expectValid("ErrorResponse", res.body);
      expect(Object.keys(res.body)).toEqual(["error"]);
      expect(Object.keys(res.body.error).sort()).toEqual(["code", "message", "param", "type"]);
      if (c.code) expect(res.body.error.code).toBe(c.code);
      if (c.param !== undefined) expect(res.body.error.param).toBe(c.param);
      // A 400 message names the parameter it is about (404/422 name the model or part instead).
      if (c.param && res.status === 400) expect(res.body.error.message).toContain(c.param);
      if (c.messageIncludes) expect(res.body.error.message).toContain(c.messageIncludes);
      expect(res.headers["x-request-id"]).toBeTruthy();
    });
  });
}
