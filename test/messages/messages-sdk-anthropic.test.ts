import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { json, sse } from "../helpers/fake-upstream.js";
import { fixtureChunks, fixtureJson } from "../helpers/fixtures.js";
import { ANTHROPIC_UPSTREAM_KEY, CALLER_KEY, startMessagesRig, type MessagesRig } from "./messages-server.js";

let rig: MessagesRig;
let client: Anthropic;

beforeAll(async () => {
  rig = await startMessagesRig();
  client = new Anthropic({ baseURL: rig.origin, apiKey: CALLER_KEY, maxRetries: 0 });
});
afterAll(() => rig.close());
beforeEach(() => {
  rig.openai.reset();
  rig.anthropic.reset();
});

describe("POST /messages, Anthropic SDK, Anthropic upstream (native, nothing lost)", () => {
  it("forwards the original body with the provider's key and returns the native message", async () => {
    rig.anthropic.on("/v1/messages", json(200, fixtureJson("anthropic/anthropic-text.json")));
    const message = await client.messages.create({
      model: "anth/claude-sonnet-4-5",
      max_tokens: 1024,
      system: [{ type: "text", text: "You are kind.", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: [{ type: "text", text: "How are you?", cache_control: { type: "ephemeral" } }] }],
      // Sampling fields the installed SDK no longer types, still part of the Messages API.
      ...({ top_k: 5 } as object),
    });
    const sent = rig.anthropic.requests[0]!;
    expect(sent.headers["x-api-key"]).toBe(ANTHROPIC_UPSTREAM_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    // The caller's body, unchanged but for the upstream model name: cache_control survives.
    expect(sent.json).toEqual({
      model: "claude-sonnet-4-5-20250929",
      max_tokens: 1024,
      system: [{ type: "text", text: "You are kind.", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: [{ type: "text", text: "How are you?", cache_control: { type: "ephemeral" } }] }],
      top_k: 5,
      stream: false,
    });
    const fixture = fixtureJson<{ content: unknown; usage: unknown }>("anthropic/anthropic-text.json");
    expect(message.content).toEqual(fixture.content);
    expect(message.usage).toEqual(fixture.usage);
    expect(message.model).toBe("anth/claude-sonnet-4-5");
    const logged = await rig.gateway.store.getUsage(message.id);
    expect(logged).toMatchObject({ endpoint: "/messages", provider: "anth", promptTokens: 12, completionTokens: 29, status: 200 });
  });

  it("streams native events through, thinking signature included", async () => {
    rig.anthropic.on("/v1/messages", sse(fixtureChunks("anthropic/anthropic-clear-thinking.1.chunks.txt"), { eventNames: true }));
    const stream = client.messages.stream({ model: "anth/claude-sonnet-4-5", max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 2000 }, messages: [{ role: "user", content: "925 / 5?" }] });
    const final = await stream.finalMessage();
    const thinking = final.content[0] as Anthropic.ThinkingBlock;
    expect(thinking.type).toBe("thinking");
    expect(thinking.signature).toMatch(/^EvQBCkYI/);
    expect(final.content[1]).toEqual({ type: "text", text: "925 ÷ 5 = 185" });
    expect((rig.anthropic.requests[0]!.json as { thinking: unknown; stream: boolean })).toMatchObject({ thinking: { type: "enabled", budget_tokens: 2000 }, stream: true });
    const usage = await rig.gateway.store.listUsage({});
    const record = usage.records.find((r) => r.id === final.id)!;
    expect(record).toMatchObject({ provider: "anth", stream: true, promptTokens: 69, status: 200 });
    expect(record.completionTokens).toBeGreaterThan(0);
  });

  it("runs a tool over several turns, and server tools and citations pass through", async () => {
    rig.anthropic.next(json(200, fixtureJson("anthropic/anthropic-tool-no-args.json")));
    const tools = [{ name: "updateIssueList", description: "Update the issue list", input_schema: { type: "object" as const, properties: {} } }];
    const first = await client.messages.create({ model: "anth/claude-sonnet-4-5", max_tokens: 500, tools, messages: [{ role: "user", content: "Update the list" }] });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b) => b.type === "tool_use") as Anthropic.ToolUseBlock;
    expect(use.input).toEqual({});

    rig.anthropic.next(sse(fixtureChunks("anthropic/anthropic-web-search-tool.1.chunks.txt"), { eventNames: true }));
    const history: Anthropic.MessageParam[] = [
      { role: "user", content: "Update the list" },
      { role: "assistant", content: first.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "done" }, { type: "text", text: "Now search the news" }] },
    ];
    const second = await client.messages
      .stream({ model: "anth/claude-sonnet-4-5", max_tokens: 2000, tools: [...tools, { type: "web_search_20250305", name: "web_search" }], messages: history })
      .finalMessage();
    const sent = rig.anthropic.requests[1]!.json as { messages: unknown[]; tools: unknown[] };
    expect(sent.messages).toEqual(JSON.parse(JSON.stringify(history)));
    expect(sent.tools).toHaveLength(2);
    expect(second.content.some((b) => b.type === "server_tool_use")).toBe(true);
    expect(second.content.some((b) => b.type === "web_search_tool_result")).toBe(true);
  });

  it("relays an upstream stream error as an Anthropic error event", async () => {
    const lines = fixtureChunks("anthropic/anthropic-text.chunks.txt").slice(0, 4);
    lines.push(JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
    rig.anthropic.on("/v1/messages", sse(lines, { eventNames: true }));
    const res = await fetch(`${rig.origin}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": CALLER_KEY },
      body: JSON.stringify({ model: "anth/claude-sonnet-4-5", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    const text = await res.text();
    expect(text).toContain("event: message_start");
    expect(text).toContain("event: error");
    expect(text).not.toContain("message_stop");
  });

  it("falls back from an Anthropic route to an OpenAI route, translating only there", async () => {
    rig.anthropic.on("/v1/messages", json(529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
    rig.openai.on("/v1/chat/completions", json(200, fixtureJson("openai/openai-text.json")));
    const message = await client.messages.create({ model: "mix/claude-then-gpt", max_tokens: 500, messages: [{ role: "user", content: "hi" }] });
    expect(rig.anthropic.requests).toHaveLength(1);
    expect(rig.openai.requests).toHaveLength(1);
    expect((message.content[0] as { text: string }).text).toContain("Galaxy Day");
  });
});
