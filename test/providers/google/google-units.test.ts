import { describe, expect, it } from "vitest";
import { applyPartialArgs } from "../../../src/providers/google/apply-partial-args.js";
import { buildGeminiUrl } from "../../../src/providers/google/build-gemini-url.js";
import { convertGeminiUsage } from "../../../src/providers/google/convert-gemini-usage.js";
import { createToolCallId } from "../../../src/providers/google/create-tool-call-id.js";
import { isPrivateAddress } from "../../../src/providers/google/is-private-address.js";
import { mapGeminiFinishReason } from "../../../src/providers/google/map-gemini-finish-reason.js";
import { parseDataUrl } from "../../../src/providers/google/parse-data-url.js";
import { parseGeminiRetryDelay } from "../../../src/providers/google/parse-gemini-retry-delay.js";

describe("mapGeminiFinishReason", () => {
  const cases: Array<[string | undefined, boolean, string | null]> = [
    [undefined, false, null],
    ["STOP", false, "stop"],
    ["STOP", true, "tool_calls"],
    ["MAX_TOKENS", true, "length"],
    ["SAFETY", false, "content_filter"],
    ["RECITATION", false, "content_filter"],
    ["PROHIBITED_CONTENT", false, "content_filter"],
    ["BLOCKLIST", false, "content_filter"],
    ["SPII", false, "content_filter"],
    ["OTHER", false, "error"],
    ["SOMETHING_NEW", false, "stop"],
  ];
  for (const [reason, calls, expected] of cases) {
    it(`${reason} (tool calls: ${calls}) -> ${expected}`, () => expect(mapGeminiFinishReason(reason, calls)).toBe(expected));
  }
});

describe("convertGeminiUsage", () => {
  const cases: Array<[string, Parameters<typeof convertGeminiUsage>[0], unknown]> = [
    ["absent", undefined, { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }],
    ["plain", { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 }, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }],
    [
      "thinking counted in completion, reported as reasoning",
      { promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 100 },
      { prompt_tokens: 10, completion_tokens: 105, total_tokens: 115, completion_tokens_details: { reasoning_tokens: 100 } },
    ],
    [
      "cached and tool-use prompt tokens",
      { promptTokenCount: 1000, cachedContentTokenCount: 800, toolUsePromptTokenCount: 50, candidatesTokenCount: 5 },
      { prompt_tokens: 1050, completion_tokens: 5, total_tokens: 1055, prompt_tokens_details: { cached_tokens: 800 } },
    ],
  ];
  for (const [name, input, expected] of cases) it(name, () => expect(convertGeminiUsage(input)).toEqual(expected));
});

describe("parseGeminiRetryDelay", () => {
  const info = (retryDelay: string) => ({ error: { details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }] } });
  const cases: Array<[unknown, number | undefined]> = [
    [info("7s"), 7000],
    [info("34.4s"), 34400],
    [info("soon"), undefined],
    [{ error: { details: [{ "@type": "type.googleapis.com/google.rpc.QuotaFailure" }] } }, undefined],
    [{ error: {} }, undefined],
    [null, undefined],
  ];
  for (const [body, expected] of cases) it(JSON.stringify(body), () => expect(parseGeminiRetryDelay(body)).toBe(expected));
});

describe("isPrivateAddress", () => {
  const cases: Array<[string, boolean]> = [
    ["127.0.0.1", true], ["10.1.2.3", true], ["172.20.0.1", true], ["192.168.1.1", true], ["169.254.169.254", true], ["100.64.0.1", true], ["0.0.0.0", true],
    ["::1", true], ["::", true], ["fd00::1", true], ["fe80::1", true], ["::ffff:127.0.0.1", true], ["::ffff:10.0.0.1", true],
    ["8.8.8.8", false], ["142.250.74.14", false], ["2607:f8b0:4004:800::200e", false], ["::ffff:8.8.8.8", false],
    ["not-an-ip", true],
  ];
  for (const [ip, expected] of cases) it(`${ip} -> ${expected}`, () => expect(isPrivateAddress(ip)).toBe(expected));
});

describe("applyPartialArgs", () => {
  it("assembles streamed strings, numbers, booleans, nulls and nested paths", () => {
    const args: Record<string, unknown> = {};
    const open = new Set<string>();
    applyPartialArgs(args, [{ jsonPath: "$.city", stringValue: "San ", willContinue: true }], open);
    applyPartialArgs(args, [{ jsonPath: "$.city", stringValue: "Francisco", willContinue: true }], open);
    applyPartialArgs(args, [{ jsonPath: "$.city", stringValue: "" }], open);
    applyPartialArgs(args, [{ jsonPath: "$.days", numberValue: 3 }, { jsonPath: "$.metric", boolValue: true }, { jsonPath: "$.note", nullValue: "NULL_VALUE" }], open);
    applyPartialArgs(args, [{ jsonPath: "$.stops[1].name", stringValue: "B" }, { jsonPath: "$['odd key']", stringValue: "x" }], open);
    expect(args).toEqual({ city: "San Francisco", days: 3, metric: true, note: null, stops: [undefined, { name: "B" }], "odd key": "x" });
    expect(open.size).toBe(0);
  });

  it("a new fragment without willContinue before replaces the value", () => {
    const args: Record<string, unknown> = { a: "old" };
    applyPartialArgs(args, [{ jsonPath: "$.a", stringValue: "new" }], new Set());
    expect(args).toEqual({ a: "new" });
  });
});

describe("parseDataUrl", () => {
  const cases: Array<[string, unknown]> = [
    ["data:image/png;base64,iVBORw0KGgo=", { mimeType: "image/png", data: "iVBORw0KGgo=" }],
    ["data:application/pdf;name=a.pdf;base64,JVBE", { mimeType: "application/pdf", data: "JVBE" }],
    ["data:text/plain,hi%20there", { mimeType: "text/plain", data: Buffer.from("hi there").toString("base64") }],
    ["https://example.com/a.png", undefined],
  ];
  for (const [url, expected] of cases) it(url, () => expect(parseDataUrl(url)).toEqual(expected));
});

describe("buildGeminiUrl and createToolCallId", () => {
  it("builds model method URLs", () => {
    const base = "https://generativelanguage.googleapis.com/v1beta/";
    expect(buildGeminiUrl(base, "gemini-2.5-flash", "generateContent")).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    expect(buildGeminiUrl(base, "gemini-2.5-flash", "streamGenerateContent")).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(buildGeminiUrl(base, "tunedModels/my-model", "generateContent")).toBe("https://generativelanguage.googleapis.com/v1beta/tunedModels/my-model:generateContent");
    expect(buildGeminiUrl(base, "text-embedding-004", "batchEmbedContents")).toBe("https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents");
  });

  it("tool call ids are deterministic and safe for every provider", () => {
    expect(createToolCallId("abc", 0, 2)).toBe("call_abc_0_2");
    expect(createToolCallId("a/b+c=", 1, 0)).toBe("call_a_b_c__1_0");
    expect(createToolCallId("abc", 0, 2)).toBe(createToolCallId("abc", 0, 2));
  });
});
