import { describe, expect, it } from "vitest";
import type { Transport } from "../../../src/http/transport.js";
import { createOpenAIProvider } from "../../../src/providers/openai-compatible/create-openai-provider.js";
import type { ChatCall, ProviderContext } from "../../../src/providers/provider.js";
import type { ChatCompletionChunk } from "../../../src/schemas/chat-response.js";

/** An upstream body from scripted reads; records how far it was read and whether it was closed early. */
function scriptedBody(reads: Array<string | Error>) {
  const seen = { next: 0, returned: false };
  const body: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        async next() {
          seen.next++;
          if (i >= reads.length) return { done: true, value: undefined };
          const read = reads[i++]!;
          if (read instanceof Error) throw read;
          return { done: false, value: Buffer.from(read) };
        },
        async return() {
          seen.returned = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { body, seen };
}

const frame = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  frame({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] });

async function openStream(reads: Array<string | Error>) {
  const { body, seen } = scriptedBody(reads);
  const transport: Transport = async () => ({ status: 200, headers: { "content-type": "text/event-stream" }, body, text: async () => "", dump: async () => undefined });
  const provider = createOpenAIProvider("up", { baseURL: "http://127.0.0.1:9/v1", apiKey: "k" });
  const ctx: ProviderContext = { transport, signal: new AbortController().signal, requestId: "r", now: () => 0, warn: () => undefined };
  const call = { request: { model: "m", messages: [{ role: "user", content: "hi" }] }, model: { id: "up/m" }, route: { provider: "up", model: "m" } } as unknown as ChatCall;
  const { chunks } = await provider.chatStream!(call, ctx);
  return { iterator: chunks[Symbol.asyncIterator](), seen };
}

/** Every item as a flat list of chunks, and how the stream ended. */
async function drain(reads: Array<string | Error>) {
  const { iterator, seen } = await openStream(reads);
  const items: ChatCompletionChunk[] = [];
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return { items, error: undefined, seen };
      items.push(...(Array.isArray(next.value) ? next.value : [next.value]));
    }
  } catch (error) {
    return { items, error: error as { code?: string }, seen };
  }
}

const text = (items: ChatCompletionChunk[]) => items.map((c) => c.choices[0]?.delta.content ?? "").join("");

describe("reading an OpenAI-compatible stream", () => {
  it("yields the chunks of one read as one batch, and ends cleanly at [DONE]", async () => {
    const { iterator } = await openStream([chunk({ content: "a" }) + chunk({ content: "b" }), chunk({}, "stop") + "data: [DONE]\n\n"]);
    const first = await iterator.next();
    expect(Array.isArray(first.value) && first.value.length).toBe(2);
    const second = await iterator.next();
    expect(Array.isArray(second.value)).toBe(false);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it("joins an event split across reads", async () => {
    const whole = chunk({ content: "split" });
    const { items, error } = await drain([whole.slice(0, 20), whole.slice(20), chunk({}, "stop"), "data: [DONE]\n\n"]);
    expect(error).toBeUndefined();
    expect(text(items)).toBe("split");
  });

  it("reads on to the end of the body after [DONE], yielding nothing more", async () => {
    const { items, error, seen } = await drain([chunk({ content: "x" }) + "data: [DONE]\n\n", chunk({ content: "after" })]);
    expect(error).toBeUndefined();
    expect(text(items)).toBe("x");
    expect(seen.next).toBe(3);
    expect(seen.returned).toBe(false);
  });

  it("an error event yields the chunks before it in the same read, then throws and closes the body", async () => {
    const { items, error, seen } = await drain([chunk({ content: "a" }) + frame({ error: { message: "overloaded", code: "server_error" } }), chunk({ content: "never" })]);
    expect(text(items)).toBe("a");
    expect(error?.code).toBe("server_error");
    expect(seen.returned).toBe(true);
  });

  it("a body that ends without [DONE] is whole after a finish reason, and cut without one", async () => {
    expect((await drain([chunk({ content: "a" }), chunk({}, "stop")])).error).toBeUndefined();
    const cut = await drain([chunk({ content: "a" })]);
    expect(text(cut.items)).toBe("a");
    expect(cut.error?.code).toBe("upstream_stream_cut");
  });

  it("an event left without its blank line at the end of the body still counts", async () => {
    const { items, error } = await drain([chunk({ content: "a" }), chunk({}, "stop").trimEnd()]);
    expect(error).toBeUndefined();
    expect(items.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  it("a body that fails mid-read passes its error on and is not closed again", async () => {
    const { items, error, seen } = await drain([chunk({ content: "a" }), Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })]);
    expect(text(items)).toBe("a");
    expect(error?.code).toBe("ECONNRESET");
    expect(seen.returned).toBe(false);
  });

  it("the finish chunk after a call that streamed no arguments takes the full path and closes it with {}", async () => {
    const call = { index: 0, id: "call_a", type: "function", function: { name: "now", arguments: "" } };
    const { items, error } = await drain([chunk({ role: "assistant", content: "" }), chunk({ tool_calls: [call] }), chunk({}, "tool_calls"), "data: [DONE]\n\n"]);
    expect(error).toBeUndefined();
    const finish = items.at(-1)!.choices[0]!;
    expect(finish.finish_reason).toBe("tool_calls");
    expect(finish.delta.tool_calls).toEqual([{ index: 0, function: { arguments: "{}" } }]);
  });

  it("a consumer that stops early closes the body", async () => {
    const { iterator, seen } = await openStream([chunk({ content: "a" }), chunk({ content: "b" }), chunk({}, "stop")]);
    await iterator.next();
    expect(await iterator.return!()).toEqual({ done: true, value: undefined });
    expect(seen.returned).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });
});
