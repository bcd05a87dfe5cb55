import { beforeAll, describe, expect, it } from "vitest";
import { fixtureChunks, fixtureJson } from "../helpers/fixtures.js";
import { expectValid, loadOpenAISpec, validateAgainstSpec } from "../helpers/openapi-validator.js";

beforeAll(loadOpenAISpec, 30_000);

describe("openapi validator helper", () => {
  it("accepts the recorded OpenAI bodies and every stream chunk (nullable fix applied)", () => {
    expectValid("CreateChatCompletionResponse", fixtureJson("openai/openai-text.json"));
    expectValid("CreateChatCompletionResponse", fixtureJson("openai/logprobsParam/response.json"));
    for (const line of fixtureChunks("openai/openai-text.chunks.txt")) expectValid("CreateChatCompletionStreamResponse", JSON.parse(line));
    expectValid("CreateCompletionResponse", fixtureJson("openai/openai-completion-text.json"));
    expectValid("ErrorResponse", fixtureJson("openai/reasoning-model-legacy-parameter-error.json"));
  });

  it("rejects what the spec forbids", () => {
    expect(validateAgainstSpec("ErrorResponse", { error: { message: "x" } }).valid).toBe(false);
    expect(validateAgainstSpec("CreateChatCompletionResponse", { id: "x", object: "chat.completion", choices: [] }).valid).toBe(false);
    expect(validateAgainstSpec("Model", { id: "a/b", object: "model", created: 1 }).valid).toBe(false);
  });

  it("allows our additive fields on chat bodies", () => {
    const body = fixtureJson<Record<string, unknown>>("openai/openai-text.json");
    expectValid("CreateChatCompletionResponse", { ...body, provider: "openai", usage: { ...(body.usage as object), cost: 0.0001 } });
  });
});
