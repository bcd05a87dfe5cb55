import { describe, expect, it } from "vitest";
import { openaiChunkFormatter } from "../../src/core/openai-chunk-formatter.js";
import { quoteJsonString } from "../../src/core/quote-json-string.js";
import { readCommonChunk } from "../../src/providers/openai-compatible/read-common-chunk.js";

const samples = ["", "gpt-4o-mini", "up/model:free", 'a "quoted" name', "back\\slash", "tab\there", "new\nline", "\u0000\u001f\u007f", "café", "emoji 😀", "lone \ud800 high", "lone \udc00 low", "\u2028\u2029"];

describe("quoteJsonString", () => {
  it.each(samples)("writes %j as JSON.stringify does", (s) => {
    expect(quoteJsonString(s)).toBe(JSON.stringify(s));
  });

  it("keeps a stream's frames valid JSON when the model or provider name needs escapes", () => {
    const who = { id: 'gen-"1"', model: 'odd\\model "x"', provider: "p\n", created: 7 };
    const chunk = readCommonChunk(`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}`)!;
    for (const frame of [openaiChunkFormatter.chunk(chunk, who), openaiChunkFormatter.end({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, who).split("\n\n")[0]!]) {
      const parsed = JSON.parse(frame.replace(/^data: /, "")) as Record<string, unknown>;
      expect(parsed).toMatchObject({ id: who.id, model: who.model, provider: who.provider });
    }
  });
});
