import { afterAll, describe, expect, it } from "vitest";
import { createGateway } from "modelmux";
import { countPromptTokens } from "../../src/accounting/count-prompt-tokens.js";

/** The context check runs before anything is sent: exact for OpenAI-family tokenizers, an upper bound when that already fits. */
const gateway = createGateway({
  providers: { mock: { type: "mock" } },
  models: [{ id: "mock/echo-long", context_length: 200_000, tokenizer: "o200k_base", routes: [{ provider: "mock", model: "echo" }] }],
  auth: false,
});
afterAll(() => gateway.close());

const ask = (body: Record<string, unknown>) => gateway.handle({ method: "POST", path: "/chat/completions", headers: { "content-type": "application/json" }, body });
const long = "hello ".repeat(40_000); // ~40k o200k tokens, 240 kB

describe("context length", () => {
  it("refuses a prompt longer than the model's context with 400 context_length_exceeded naming messages", async () => {
    const res = await ask({ model: "mock/echo", messages: [{ role: "user", content: long }] });
    expect(res.kind === "json" && res.status).toBe(400);
    const body = (res as { body: { error: { code: string; param: string; message: string } } }).body;
    expect(body.error.code).toBe("context_length_exceeded");
    expect(body.error.param).toBe("messages");
    expect(body.error.message).toMatch(/about 4\d{4} tokens \(counted\)/);
  });

  it("names max_tokens when the prompt fits but the output allowance does not", async () => {
    const res = await ask({ model: "mock/echo", max_tokens: 32_000, messages: [{ role: "user", content: "hello ".repeat(2_000) }] });
    expect((res as { body: { error: { param: string } } }).body.error.param).toBe("max_tokens");
  });

  it("in a fallback chain, skips to a model whose context is large enough", async () => {
    const res = await ask({ models: ["mock/echo", "mock/echo-long"], route: "fallback", max_tokens: 5, messages: [{ role: "user", content: long }] });
    expect(res.kind === "json" && res.status).toBe(200);
    expect((res as { body: { model: string } }).body.model).toBe("mock/echo-long");
  });

  it("counts with the UTF-8 byte upper bound when that already fits, the tokenizer only past it", async () => {
    const model = gateway.models.find((m) => m.id === "mock/echo")!;
    const short = await countPromptTokens(model, [{ role: "user", content: "short" }], undefined, 32_000);
    expect(short.method).toBe("upper_bound");
    const big = await countPromptTokens(model, [{ role: "user", content: long }], undefined, 32_000);
    expect(big.method).toBe("exact");
    expect(big.tokens).toBeLessThan(Buffer.byteLength(long));
  });

  it("bounds by the UTF-8 bytes of the whole prompt text: multi-byte content, tool calls, tools, one newline per piece", async () => {
    const model = gateway.models.find((m) => m.id === "mock/echo")!;
    const tools = [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }];
    const messages = [
      { role: "system", content: "Réponds en français, s'il te plaît. 日本語も" },
      { role: "user", content: [{ type: "text", text: "emoji 🎉 here" }, { type: "image_url", image_url: { url: "https://x/y.png" } }] },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Zürich"}' } }] },
    ] as never;
    const text = "Réponds en français, s'il te plaît. 日本語も\n" + "emoji 🎉 here\n" + 'weather{"city":"Zürich"}\n' + JSON.stringify(tools);
    // One image allowance (1,600) and 4 tokens of framing per message.
    const counted = await countPromptTokens(model, messages, tools, 32_000);
    expect(counted).toEqual({ tokens: Buffer.byteLength(text) + 1_600 + 3 * 4, method: "upper_bound" });
  });
});
