import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { convertToGeminiRequest } from "../../../src/providers/google/convert-to-gemini-request.js";
import { chatRequest, convertOptions } from "./google-test-helpers.js";

const PNG = "iVBORw0KGgo=";
const PDF = "JVBERi0xLjQK";
const user = (content: unknown) => ({ role: "user", content });
const weather = { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } };
const time = { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } };

function convert(input: Record<string, unknown>, overrides: Parameters<typeof convertOptions>[0] = {}) {
  const options = convertOptions(overrides);
  const body = convertToGeminiRequest(chatRequest(input), options);
  return { body, warnings: options.warnings };
}

describe("convertToGeminiRequest: messages", () => {
  const cases: Array<{ name: string; input: Record<string, unknown>; expected: Record<string, unknown> }> = [
    {
      name: "a plain user message",
      input: { messages: [user("Hi")] },
      expected: { contents: [{ role: "user", parts: [{ text: "Hi" }] }] },
    },
    {
      name: "system and developer messages, several and anywhere, become systemInstruction",
      input: {
        messages: [
          { role: "system", content: "Be brief." },
          user("Hi"),
          { role: "developer", content: [{ type: "text", text: "Answer in " }, { type: "text", text: "French." }] },
          { role: "system", content: "No emoji." },
          user("Again"),
        ],
      },
      expected: {
        systemInstruction: { parts: [{ text: "Be brief." }, { text: "Answer in French." }, { text: "No emoji." }] },
        contents: [{ role: "user", parts: [{ text: "Hi" }, { text: "Again" }] }],
      },
    },
    {
      name: "consecutive same-role turns are merged; assistant is model",
      input: { messages: [user("a"), user("b"), { role: "assistant", content: "c" }, { role: "assistant", content: [{ type: "text", text: "d" }] }, user("e")] },
      expected: {
        contents: [
          { role: "user", parts: [{ text: "a" }, { text: "b" }] },
          { role: "model", parts: [{ text: "c" }, { text: "d" }] },
          { role: "user", parts: [{ text: "e" }] },
        ],
      },
    },
    {
      name: "parallel tool calls and their results (names recovered from the call ids, grouped in one user turn)",
      input: {
        messages: [
          user("Weather in Paris and the time?"),
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              { id: "call_b", type: "function", function: { name: "get_time", arguments: "" } },
            ],
            reasoning_details: [
              { type: "reasoning.encrypted", data: "SIG_A", format: "google-gemini-v1", id: "call_a" },
              { type: "reasoning.encrypted", data: "OTHER", format: "anthropic-claude-v1", id: "call_b" },
            ],
          },
          { role: "tool", tool_call_id: "call_b", content: "12:00" },
          { role: "tool", tool_call_id: "call_a", content: '{"temp":21}' },
          { role: "tool", tool_call_id: "call_a", content: "[1,2]" },
        ],
      },
      expected: {
        contents: [
          { role: "user", parts: [{ text: "Weather in Paris and the time?" }] },
          {
            role: "model",
            parts: [
              { functionCall: { id: "call_a", name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "SIG_A" },
              { functionCall: { id: "call_b", name: "get_time", args: {} } },
            ],
          },
          {
            role: "user",
            parts: [
              { functionResponse: { id: "call_b", name: "get_time", response: { result: "12:00" } } },
              { functionResponse: { id: "call_a", name: "get_weather", response: { temp: 21 } } },
              { functionResponse: { id: "call_a", name: "get_weather", response: { result: "[1,2]" } } },
            ],
          },
        ],
      },
    },
    {
      name: "a text-part signature goes back on the text part",
      input: {
        messages: [user("q"), { role: "assistant", content: "answer", reasoning_details: [{ type: "reasoning.encrypted", data: "SIG_T", format: "google-gemini-v1", index: 0 }] }, user("more")],
      },
      expected: {
        contents: [
          { role: "user", parts: [{ text: "q" }] },
          { role: "model", parts: [{ text: "answer", thoughtSignature: "SIG_T" }] },
          { role: "user", parts: [{ text: "more" }] },
        ],
      },
    },
    {
      name: "images: data URL -> inlineData, gs:// and Files API URIs -> fileData",
      input: {
        messages: [
          user([
            { type: "text", text: "Compare" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: "image_url", image_url: { url: "gs://bucket/cat.jpg" } },
            { type: "image_url", image_url: { url: "https://generativelanguage.googleapis.com/v1beta/files/abc123" } },
          ]),
        ],
      },
      expected: {
        contents: [
          {
            role: "user",
            parts: [
              { text: "Compare" },
              { inlineData: { mimeType: "image/png", data: PNG } },
              { fileData: { fileUri: "gs://bucket/cat.jpg", mimeType: "image/jpeg" } },
              { fileData: { fileUri: "https://generativelanguage.googleapis.com/v1beta/files/abc123" } },
            ],
          },
        ],
      },
    },
    {
      name: "PDFs (file_data data URL, or bare base64 named .pdf) -> application/pdf inlineData, never an image type",
      input: {
        messages: [
          user([
            { type: "file", file: { filename: "a.pdf", file_data: `data:application/pdf;base64,${PDF}` } },
            { type: "file", file: { filename: "b.pdf", file_data: PDF } },
          ]),
        ],
      },
      expected: { contents: [{ role: "user", parts: [{ inlineData: { mimeType: "application/pdf", data: PDF } }, { inlineData: { mimeType: "application/pdf", data: PDF } }] }] },
    },
    {
      name: "input_audio wav and mp3 -> audio/wav and audio/mpeg",
      input: { messages: [user([{ type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } }, { type: "input_audio", input_audio: { data: "SUQz", format: "mp3" } }])] },
      expected: { contents: [{ role: "user", parts: [{ inlineData: { mimeType: "audio/wav", data: "UklGRg==" } }, { inlineData: { mimeType: "audio/mpeg", data: "SUQz" } }] }] },
    },
    {
      name: "an image inside a tool result follows the functionResponse, not dropped",
      input: {
        messages: [
          user("draw"),
          { role: "assistant", tool_calls: [{ id: "c1", type: "function", function: { name: "render", arguments: "{}" } }] },
          { role: "tool", tool_call_id: "c1", content: [{ type: "text", text: "done" }, { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } }] },
        ],
      },
      expected: {
        contents: [
          { role: "user", parts: [{ text: "draw" }] },
          { role: "model", parts: [{ functionCall: { id: "c1", name: "render", args: {} } }] },
          { role: "user", parts: [{ functionResponse: { id: "c1", name: "render", response: { result: "done" } } }, { inlineData: { mimeType: "image/png", data: PNG } }] },
        ],
      },
    },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => {
      const { body, warnings } = convert(input);
      expect(body).toEqual(expected);
      expect(warnings).toEqual([]);
    });
  }

  it("https image URLs are not fetched when fetchUrls is off: reported and dropped", () => {
    const { body, warnings } = convert({ messages: [user([{ type: "text", text: "see" }, { type: "image_url", image_url: { url: "https://example.com/cat.png" } }])] });
    expect(body.contents).toEqual([{ role: "user", parts: [{ text: "see" }] }]);
    expect(warnings).toEqual([{ param: "messages", reason: expect.stringContaining("messages[0].content[1]") }]);
    expect(warnings[0]!.reason).toContain("fetchUrls");
  });

  it("https image URLs fetched beforehand (fetchUrls) become inlineData; failed fetches are reported", () => {
    const media = new Map([
      ["https://example.com/cat.png", { mimeType: "image/png", data: PNG }],
      ["https://example.com/private.png", { error: "the host is a private or loopback address" }],
    ]);
    const { body, warnings } = convert(
      { messages: [user([{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }, { type: "image_url", image_url: { url: "https://example.com/private.png" } }])] },
      { fetchUrls: true, media },
    );
    expect(body.contents).toEqual([{ role: "user", parts: [{ inlineData: { mimeType: "image/png", data: PNG } }] }]);
    expect(warnings).toEqual([{ param: "messages", reason: expect.stringContaining("private or loopback") }]);
  });

  it("file_id uploads cannot be read by Gemini: reported and dropped", () => {
    const { body, warnings } = convert({ messages: [user([{ type: "text", text: "x" }, { type: "file", file: { file_id: "file-abc" } }])] });
    expect(body.contents).toEqual([{ role: "user", parts: [{ text: "x" }] }]);
    expect(warnings[0]!.param).toBe("messages");
  });

  it("a tool message whose id matches no assistant call is a 400 naming the parameter", () => {
    const run = () => convert({ messages: [user("q"), { role: "tool", tool_call_id: "nope", content: "x" }] });
    expect(run).toThrow(GatewayError);
    try {
      run();
    } catch (error) {
      expect(error).toMatchObject({ status: 400, param: "messages[1].tool_call_id" });
    }
  });

  it("Gemini 3: replayed calls without any signature get Google's placeholder on the first call, reported", () => {
    const messages = [
      user("q"),
      { role: "assistant", tool_calls: [{ id: "x1", type: "function", function: { name: "a", arguments: "{}" } }, { id: "x2", type: "function", function: { name: "b", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "x1", content: "1" },
      { role: "tool", tool_call_id: "x2", content: "2" },
    ];
    const g3 = convert({ messages }, { model: "gemini-3-flash-preview" });
    expect(g3.body.contents[1]!.parts.map((p) => p.thoughtSignature)).toEqual(["skip_thought_signature_validator", undefined]);
    expect(g3.warnings).toHaveLength(1);
    const g25 = convert({ messages });
    expect(g25.body.contents[1]!.parts.map((p) => p.thoughtSignature)).toEqual([undefined, undefined]);
    expect(g25.warnings).toEqual([]);
  });

  it("unparseable assistant arguments are sent as {} and reported", () => {
    const { body, warnings } = convert({ messages: [user("q"), { role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{oops" } }] }] });
    expect(body.contents[1]!.parts[0]!.functionCall!.args).toEqual({});
    expect(warnings[0]!.reason).toContain("messages[1].tool_calls[0]");
  });
});

describe("convertToGeminiRequest: tools and tool_choice", () => {
  const choices: Array<[unknown, unknown]> = [
    [undefined, undefined],
    ["auto", { functionCallingConfig: { mode: "AUTO" } }],
    ["none", { functionCallingConfig: { mode: "NONE" } }],
    ["required", { functionCallingConfig: { mode: "ANY" } }],
    [{ type: "function", function: { name: "get_time" } }, { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_time"] } }],
  ];
  for (const [choice, expected] of choices) {
    it(`tool_choice ${JSON.stringify(choice)}`, () => {
      const { body } = convert({ messages: [user("q")], tools: [weather, time], ...(choice === undefined ? {} : { tool_choice: choice }) });
      expect(body.toolConfig).toEqual(expected);
    });
  }

  it("tools -> functionDeclarations; a zero-argument tool has no parameters", () => {
    const { body, warnings } = convert({ messages: [user("q")], tools: [weather, time] });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: "get_weather", description: "Weather", parameters: { type: "OBJECT", properties: { city: { type: "STRING" } }, required: ["city"] } },
          { name: "get_time", description: "" },
        ],
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it("schema keywords Gemini does not take are dropped and reported per tool", () => {
    const tool = {
      type: "function",
      function: {
        name: "search",
        parameters: { $schema: "http://json-schema.org/draft-07/schema#", type: "object", additionalProperties: false, properties: { q: { type: "string", minLength: 1 }, n: { type: "integer", exclusiveMinimum: 0 } } },
      },
    };
    const { body, warnings } = convert({ messages: [user("q")], tools: [tool] });
    expect(body.tools![0]!.functionDeclarations[0]!.parameters).toEqual({ type: "OBJECT", properties: { q: { type: "STRING", minLength: 1 }, n: { type: "INTEGER" } } });
    expect(warnings).toEqual([{ param: "tools", reason: expect.stringContaining("tools[0].function.parameters") }]);
    for (const keyword of ["$.$schema", "$.additionalProperties", "$.properties.n.exclusiveMinimum"]) expect(warnings[0]!.reason).toContain(keyword);
  });
});

describe("convertToGeminiRequest: generationConfig", () => {
  const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
  const cases: Array<{ name: string; input: Record<string, unknown>; expected: unknown }> = [
    { name: "nothing set", input: {}, expected: undefined },
    {
      name: "sampling parameters",
      input: { temperature: 0.2, top_p: 0.9, max_tokens: 100, stop: ["END", "STOP"], seed: 7, presence_penalty: 0.5, frequency_penalty: -0.5 },
      expected: { temperature: 0.2, topP: 0.9, maxOutputTokens: 100, stopSequences: ["END", "STOP"], seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5 },
    },
    { name: "stop as a string; max_completion_tokens wins over max_tokens", input: { stop: "END", max_tokens: 10, max_completion_tokens: 20 }, expected: { stopSequences: ["END"], maxOutputTokens: 20 } },
    { name: "n > 1 -> candidateCount", input: { n: 3 }, expected: { candidateCount: 3 } },
    { name: "n = 1 is the default and not sent", input: { n: 1 }, expected: undefined },
    { name: "response_format text", input: { response_format: { type: "text" } }, expected: undefined },
    { name: "response_format json_object", input: { response_format: { type: "json_object" } }, expected: { responseMimeType: "application/json" } },
    {
      name: "response_format json_schema -> responseMimeType + responseSchema",
      input: { response_format: { type: "json_schema", json_schema: { name: "a", schema, strict: true } } },
      expected: { responseMimeType: "application/json", responseSchema: { type: "OBJECT", properties: { answer: { type: "STRING" } }, required: ["answer"] } },
    },
    { name: "reasoning_effort low", input: { reasoning_effort: "low" }, expected: { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } } },
    { name: "reasoning_effort high", input: { reasoning_effort: "high" }, expected: { thinkingConfig: { thinkingBudget: 16384, includeThoughts: true } } },
    { name: "reasoning_effort none turns thinking off", input: { reasoning_effort: "none" }, expected: { thinkingConfig: { thinkingBudget: 0, includeThoughts: false } } },
    { name: "reasoning.max_tokens is the budget", input: { reasoning: { max_tokens: 3000 } }, expected: { thinkingConfig: { thinkingBudget: 3000, includeThoughts: true } } },
    { name: "reasoning.effort beats reasoning_effort", input: { reasoning: { effort: "medium" }, reasoning_effort: "low" }, expected: { thinkingConfig: { thinkingBudget: 8192, includeThoughts: true } } },
    { name: "reasoning.enabled alone -> dynamic budget", input: { reasoning: { enabled: true } }, expected: { thinkingConfig: { thinkingBudget: -1, includeThoughts: true } } },
    { name: "reasoning.exclude hides thoughts", input: { reasoning: { effort: "minimal", exclude: true } }, expected: { thinkingConfig: { thinkingBudget: 512, includeThoughts: false } } },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => {
      const { body, warnings } = convert({ messages: [user("q")], ...input });
      expect(body.generationConfig).toEqual(expected);
      if (name.includes("json_schema")) expect(warnings).toEqual([{ param: "response_format", reason: expect.stringContaining("$.additionalProperties") }]);
      else expect(warnings).toEqual([]);
    });
  }
});
