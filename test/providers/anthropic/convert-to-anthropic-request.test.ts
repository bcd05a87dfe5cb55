import { describe, it, expect } from "vitest";
import { convertToAnthropicRequest } from "../../../src/providers/anthropic/convert-to-anthropic-request.js";
import { makeModel, req, type Warning } from "./anthropic-test-helpers.js";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PDF = "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK";
const weather = { type: "function", function: { name: "get_weather", description: "Weather by city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } };
const clock = { type: "function", function: { name: "get_time" } };
const user = (content: unknown) => ({ role: "user", content });

function convert(body: Record<string, unknown>, model = makeModel()) {
  const warnings: Warning[] = [];
  const out = convertToAnthropicRequest(req(body), model, "claude-sonnet-4-5", (param, reason) => warnings.push({ param, reason }));
  return { ...out, warnings };
}

interface Case {
  name: string;
  input: Record<string, unknown>;
  /** Subset of the Anthropic body expected (toMatchObject). */
  body: Record<string, unknown>;
  /** Params that must be warned about ([] = no warnings at all). */
  warned?: string[];
  absent?: string[];
}

const cases: Case[] = [
  {
    name: "plain user text, default max_tokens from the model",
    input: { messages: [user("Hi")] },
    body: { model: "claude-sonnet-4-5", max_tokens: 8192, messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] },
    warned: [],
    absent: ["system", "tools", "tool_choice", "thinking", "stream", "temperature", "metadata"],
  },
  {
    name: "several system and developer messages anywhere become system blocks in order",
    input: {
      messages: [
        { role: "system", content: "You are terse." },
        user("Hi"),
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "assistant", content: "Bonjour" },
        { role: "system", content: "Never use emoji." },
        user("Ça va?"),
      ],
    },
    body: {
      system: [
        { type: "text", text: "You are terse." },
        { type: "text", text: "Answer in French." },
        { type: "text", text: "Never use emoji." },
      ],
      messages: [
        { role: "user", content: [{ type: "text", text: "Hi" }] },
        { role: "assistant", content: [{ type: "text", text: "Bonjour" }] },
        { role: "user", content: [{ type: "text", text: "Ça va?" }] },
      ],
    },
    warned: [],
  },
  {
    name: "consecutive same-role messages are merged so roles alternate",
    input: { messages: [user("one"), user([{ type: "text", text: "two" }]), { role: "assistant", content: "a" }, { role: "assistant", content: "b" }, user("three")] },
    body: {
      messages: [
        { role: "user", content: [{ type: "text", text: "one" }, { type: "text", text: "two" }] },
        { role: "assistant", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
        { role: "user", content: [{ type: "text", text: "three" }] },
      ],
    },
    warned: [],
  },
  {
    name: "parallel tool calls become tool_use blocks; their tool results are grouped in one user turn, ids kept",
    input: {
      tools: [weather],
      messages: [
        user("Weather in Paris and Rome?"),
        {
          role: "assistant",
          content: "Checking both.",
          tool_calls: [
            { id: "toolu_A", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "toolu_B", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "toolu_A", content: "18C" },
        { role: "tool", tool_call_id: "toolu_B", content: [{ type: "text", text: "24C" }] },
        user("Thanks, which is warmer?"),
      ],
    },
    body: {
      messages: [
        { role: "user", content: [{ type: "text", text: "Weather in Paris and Rome?" }] },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking both." },
            { type: "tool_use", id: "toolu_A", name: "get_weather", input: { city: "Paris" } },
            { type: "tool_use", id: "toolu_B", name: "get_weather", input: { city: "Rome" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_A", content: "18C" },
            { type: "tool_result", tool_use_id: "toolu_B", content: [{ type: "text", text: "24C" }] },
            { type: "text", text: "Thanks, which is warmer?" },
          ],
        },
      ],
    },
    warned: [],
  },
  {
    name: "bad tool arguments become {} with a warning; empty arguments become {} silently",
    input: {
      tools: [weather, clock],
      messages: [
        user("x"),
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "t1", type: "function", function: { name: "get_weather", arguments: "{not json" } },
            { id: "t2", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "t1", content: "?" },
        { role: "tool", tool_call_id: "t2", content: "noon" },
      ],
    },
    body: {
      messages: [
        { role: "user" },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", input: {} }, { type: "tool_use", id: "t2", input: {} }] },
        { role: "user" },
      ],
    },
    warned: ["messages[1].tool_calls[0].function.arguments"],
  },
  {
    name: "images in tool results stay image blocks",
    input: {
      tools: [clock],
      messages: [
        user("screenshot?"),
        { role: "assistant", tool_calls: [{ id: "t1", type: "function", function: { name: "get_time", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "t1", content: [{ type: "text", text: "here" }, { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } }] },
      ],
    },
    body: {
      messages: [
        {},
        {},
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "t1",
              content: [{ type: "text", text: "here" }, { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } }],
            },
          ],
        },
      ],
    },
    warned: [],
  },
  {
    name: "a tool call without a tool message gets an error result; an orphan result becomes text",
    input: {
      tools: [clock],
      messages: [
        user("x"),
        { role: "assistant", tool_calls: [{ id: "t1", type: "function", function: { name: "get_time", arguments: "{}" } }] },
        user("never mind"),
        { role: "assistant", content: "ok" },
        { role: "tool", tool_call_id: "zz", content: "late" },
      ],
    },
    body: {
      messages: [
        {},
        {},
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", is_error: true }, { type: "text", text: "never mind" }] },
        {},
        { role: "user", content: [{ type: "text", text: "Result of tool call zz: late" }] },
      ],
    },
    warned: ["messages", "messages"],
  },
  {
    name: "images: https URL and base64 data URL",
    input: {
      messages: [
        user([
          { type: "text", text: "Compare" },
          { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}`, detail: "high" } },
        ]),
      ],
    },
    body: {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare" },
            { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          ],
        },
      ],
    },
    warned: [],
  },
  {
    name: "PDF file (data URL, or raw base64 with a .pdf filename) becomes a document block, never an image",
    input: {
      messages: [
        user([
          { type: "file", file: { filename: "a.pdf", file_data: `data:application/pdf;base64,${PDF}` } },
          { type: "file", file: { filename: "b.PDF", file_data: PDF } },
          { type: "image_url", image_url: { url: `data:application/pdf;base64,${PDF}` } },
          { type: "text", text: "Summarise" },
        ]),
      ],
    },
    body: {
      messages: [
        {
          role: "user",
          content: [
            { type: "document", title: "a.pdf", source: { type: "base64", media_type: "application/pdf", data: PDF } },
            { type: "document", title: "b.PDF", source: { type: "base64", media_type: "application/pdf", data: PDF } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: PDF } },
            { type: "text", text: "Summarise" },
          ],
        },
      ],
    },
    warned: [],
  },
  {
    name: "plain-text file becomes a text document; file_id and unknown types are warned",
    input: {
      messages: [
        user([
          { type: "file", file: { filename: "n.txt", file_data: `data:text/plain;base64,${Buffer.from("hello").toString("base64")}` } },
          { type: "file", file: { file_id: "file-123" } },
          { type: "file", file: { filename: "x.zip", file_data: "data:application/zip;base64,UEsDBA==" } },
        ]),
      ],
    },
    body: { messages: [{ role: "user", content: [{ type: "document", source: { type: "text", media_type: "text/plain", data: "hello" } }] }] },
    warned: ["messages[0].content[1]", "messages[0].content[2]"],
  },
  {
    name: "input_audio is not supported: dropped and warned",
    input: { messages: [user([{ type: "text", text: "Transcribe" }, { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } }])] },
    body: { messages: [{ role: "user", content: [{ type: "text", text: "Transcribe" }] }] },
    warned: ["messages[0].content[1]"],
  },
  {
    name: "tools with and without parameters; tool_choice auto",
    input: { messages: [user("x")], tools: [weather, clock], tool_choice: "auto" },
    body: {
      tools: [
        { name: "get_weather", description: "Weather by city", input_schema: weather.function.parameters },
        { name: "get_time", input_schema: { type: "object", properties: {} } },
      ],
      tool_choice: { type: "auto" },
    },
    warned: [],
  },
  { name: "tool_choice required -> any", input: { messages: [user("x")], tools: [weather], tool_choice: "required" }, body: { tool_choice: { type: "any" } }, warned: [] },
  { name: "tool_choice none -> none", input: { messages: [user("x")], tools: [weather], tool_choice: "none" }, body: { tool_choice: { type: "none" } }, warned: [] },
  {
    name: "named tool_choice -> tool",
    input: { messages: [user("x")], tools: [weather, clock], tool_choice: { type: "function", function: { name: "get_time" } } },
    body: { tool_choice: { type: "tool", name: "get_time" } },
    warned: [],
  },
  {
    name: "parallel_tool_calls false -> disable_parallel_tool_use",
    input: { messages: [user("x")], tools: [weather], parallel_tool_calls: false },
    body: { tool_choice: { type: "auto", disable_parallel_tool_use: true } },
    warned: [],
  },
  {
    name: "parallel_tool_calls false with required",
    input: { messages: [user("x")], tools: [weather], tool_choice: "required", parallel_tool_calls: false },
    body: { tool_choice: { type: "any", disable_parallel_tool_use: true } },
    warned: [],
  },
  {
    name: "stop string and list -> stop_sequences; max_completion_tokens wins; temperature, top_p; user -> metadata.user_id",
    input: { messages: [user("x")], stop: ["END", "\n\nHuman:"], max_tokens: 100, max_completion_tokens: 200, temperature: 0.3, top_p: 0.9, user: "user-42" },
    body: { stop_sequences: ["END", "\n\nHuman:"], max_tokens: 200, temperature: 0.3, top_p: 0.9, metadata: { user_id: "user-42" } },
    warned: [],
  },
  { name: "single stop string", input: { messages: [user("x")], stop: "END", max_tokens: 50 }, body: { stop_sequences: ["END"], max_tokens: 50 }, warned: [] },
  {
    name: "temperature above Anthropic's range is lowered to 1 and reported",
    input: { messages: [user("x")], temperature: 1.7 },
    body: { temperature: 1 },
    warned: ["temperature"],
  },
  {
    name: "reasoning_effort medium -> thinking budget 4096; temperature dropped and warned",
    input: { messages: [user("x")], reasoning_effort: "medium", temperature: 0.2, max_tokens: 10000 },
    body: { thinking: { type: "enabled", budget_tokens: 4096 }, max_tokens: 10000 },
    warned: ["temperature"],
    absent: ["temperature"],
  },
  { name: "reasoning_effort low -> 1024", input: { messages: [user("x")], reasoning_effort: "low" }, body: { thinking: { type: "enabled", budget_tokens: 1024 } }, warned: [] },
  {
    name: "reasoning_effort high is clamped below max_tokens, reported",
    input: { messages: [user("x")], reasoning_effort: "high", max_tokens: 8000 },
    body: { thinking: { type: "enabled", budget_tokens: 7999 }, max_tokens: 8000 },
    warned: ["reasoning_effort"],
  },
  {
    name: "reasoning.max_tokens is the budget",
    input: { messages: [user("x")], reasoning: { max_tokens: 3000 }, max_tokens: 6000, top_p: 0.5 },
    body: { thinking: { type: "enabled", budget_tokens: 3000 } },
    warned: ["top_p"],
    absent: ["top_p"],
  },
  { name: "reasoning effort none -> no thinking", input: { messages: [user("x")], reasoning: { effort: "none" } }, body: {}, warned: [], absent: ["thinking"] },
  { name: "reasoning_effort none -> no thinking", input: { messages: [user("x")], reasoning_effort: "none" }, body: {}, warned: [], absent: ["thinking"] },
  {
    name: "thinking impossible when max_tokens is too small: not enabled, warned",
    input: { messages: [user("x")], reasoning_effort: "low", max_tokens: 500 },
    body: { max_tokens: 500 },
    warned: ["reasoning_effort"],
    absent: ["thinking"],
  },
  {
    name: "response_format json_schema -> forced tool named after the schema",
    input: {
      messages: [user("Give me a city")],
      response_format: { type: "json_schema", json_schema: { name: "city", schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } } },
    },
    body: {
      tools: [{ name: "city", input_schema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } }],
      tool_choice: { type: "tool", name: "city" },
    },
    warned: [],
  },
  {
    name: "response_format json_object -> forced tool with a permissive object schema",
    input: { messages: [user("JSON please")], response_format: { type: "json_object" } },
    body: { tools: [{ name: "json", input_schema: { type: "object", additionalProperties: true } }], tool_choice: { type: "tool", name: "json" } },
    warned: [],
  },
  {
    name: "response_format with tools: the answer tool is offered, not forced, and reported",
    input: { messages: [user("x")], tools: [weather], response_format: { type: "json_object" } },
    body: { tools: [{ name: "get_weather" }, { name: "json" }] },
    warned: ["response_format"],
    absent: ["tool_choice"],
  },
  {
    name: "response_format with reasoning: thinking is off (forced tools exclude it), reported",
    input: { messages: [user("x")], response_format: { type: "json_object" }, reasoning_effort: "high" },
    body: { tool_choice: { type: "tool", name: "json" } },
    warned: ["reasoning_effort"],
    absent: ["thinking"],
  },
  { name: "stream true sets stream", input: { messages: [user("x")], stream: true }, body: { stream: true }, warned: [] },
  {
    name: "assistant reasoning_details with signatures come back first as thinking / redacted_thinking",
    input: {
      messages: [
        user("q"),
        {
          role: "assistant",
          content: "answer",
          reasoning_details: [
            { type: "reasoning.text", text: "Let me ", format: "anthropic-claude-v1", index: 0 },
            { type: "reasoning.text", text: "think", format: "anthropic-claude-v1", index: 0 },
            { type: "reasoning.text", text: "", signature: "SIG", format: "anthropic-claude-v1", index: 0 },
            { type: "reasoning.encrypted", data: "REDACTED", format: "anthropic-claude-v1", index: 1 },
          ],
          tool_calls: [{ id: "t1", type: "function", function: { name: "get_time", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "t1", content: "noon" },
      ],
      tools: [clock],
    },
    body: {
      messages: [
        {},
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "Let me think", signature: "SIG" },
            { type: "redacted_thinking", data: "REDACTED" },
            { type: "text", text: "answer" },
            { type: "tool_use", id: "t1", name: "get_time", input: {} },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "noon" }] },
      ],
    },
    warned: [],
  },
  {
    name: "reasoning without a signature, or from another provider, is dropped and warned",
    input: {
      messages: [
        user("q"),
        { role: "assistant", content: "a", reasoning_details: [{ type: "reasoning.text", text: "no sig" }, { type: "reasoning.text", text: "g", signature: "x", format: "google-gemini-v1" }] },
        user("q2"),
      ],
    },
    body: { messages: [{}, { role: "assistant", content: [{ type: "text", text: "a" }] }, {}] },
    warned: ["messages[1].reasoning_details", "messages[1].reasoning_details"],
  },
  {
    name: "cache_control on parts is passed through",
    input: { messages: [{ role: "system", content: [{ type: "text", text: "big", cache_control: { type: "ephemeral" } }] }, user([{ type: "text", text: "doc", cache_control: { type: "ephemeral" } }])] },
    body: { system: [{ type: "text", text: "big", cache_control: { type: "ephemeral" } }], messages: [{ content: [{ type: "text", text: "doc", cache_control: { type: "ephemeral" } }] }] },
    warned: [],
  },
];

describe("convertToAnthropicRequest", () => {
  it.each(cases)("$name", ({ input, body, warned, absent }) => {
    const out = convert(input);
    expect(out.body).toMatchObject(body);
    if (warned) expect(out.warnings.map((w) => w.param).sort()).toEqual([...warned].sort());
    for (const key of absent ?? []) expect(out.body).not.toHaveProperty(key);
  });

  it("records the response tool in the plan, and reasoning.exclude", () => {
    expect(convert({ messages: [user("x")], response_format: { type: "json_object" } }).plan).toEqual({ responseToolName: "json", excludeReasoning: false });
    expect(convert({ messages: [user("x")], reasoning: { effort: "low", exclude: true } }).plan).toEqual({ excludeReasoning: true });
  });

  it("renames the answer tool when a caller tool already has its name", () => {
    const out = convert({ messages: [user("x")], tools: [{ type: "function", function: { name: "json" } }], response_format: { type: "json_object" } });
    expect(out.plan.responseToolName).toBe("json_2");
    expect(out.body.tools?.map((t) => t.name)).toEqual(["json", "json_2"]);
  });

  it("uses 4096 when the model has no output limit", () => {
    expect(convert({ messages: [user("x")] }, makeModel({ max_output_tokens: 0 })).body.max_tokens).toBe(4096);
  });

  it("trims trailing whitespace of a final assistant prefill", () => {
    const out = convert({ messages: [user("x"), { role: "assistant", content: "Sure:  \n" }] });
    expect(out.body.messages[1]).toEqual({ role: "assistant", content: [{ type: "text", text: "Sure:" }] });
  });
});
