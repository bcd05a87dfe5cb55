import { createHash } from "node:crypto";
import type { ChatCompletion, ChatCompletionChunk, Usage } from "../../schemas/chat-response.js";
import type { ChatCall, Provider, ProviderContext } from "../provider.js";
import { collectPromptText } from "../../accounting/collect-prompt-text.js";
import { buildMockAnswer } from "./build-mock-answer.js";
import { openaiCapabilities } from "../openai-compatible/create-openai-provider.js";

export interface MockProviderOptions {
  /** Delay before the answer (or the first chunk), ms. */
  latencyMs?: number;
  /** Delay between stream chunks, ms. */
  chunkDelayMs?: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}

/** Roughly 4 characters a token, the same rule the mock applies everywhere. */
const tokensOf = (chars: number) => Math.max(1, Math.ceil(chars / 4));
const tokens = (s: string) => tokensOf(s.length);

function usageFor(call: ChatCall, completionText: string): Usage {
  const prompt = tokensOf(collectPromptText(call.request.messages, call.request.tools).chars);
  const completion = tokens(completionText);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
}

function callIdFor(requestId: string) {
  return (i: number) => `call_${createHash("sha256").update(`${requestId}:${i}`).digest("hex").slice(0, 24)}`;
}

/** The built-in deterministic model: no network, for demos, tests and the benchmark. */
export function createMockProvider(name: string, options: MockProviderOptions = {}): Provider {
  const latency = options.latencyMs ?? 0;
  const gap = options.chunkDelayMs ?? 0;
  return {
    name,
    type: "mock",
    capabilities: openaiCapabilities,

    async chat(call, ctx) {
      await sleep(latency, ctx.signal);
      const answer = buildMockAnswer(call.request, callIdFor(ctx.requestId));
      const n = call.request.n ?? 1;
      const completion: ChatCompletion = {
        id: `mock-${ctx.requestId}`,
        object: "chat.completion",
        created: Math.floor(ctx.now() / 1000),
        model: call.route.model,
        choices: Array.from({ length: n }, (_, index) => ({
          index,
          message: {
            role: "assistant",
            content: answer.content,
            refusal: null,
            ...(answer.toolCalls.length > 0 ? { tool_calls: answer.toolCalls } : {}),
          },
          finish_reason: answer.finish,
          logprobs: null,
        })),
        usage: usageFor(call, (answer.content ?? "") + answer.toolCalls.map((t) => t.function.arguments).join("")),
      };
      return { completion, headers: {} };
    },

    async chatStream(call, ctx) {
      await sleep(latency, ctx.signal);
      const answer = buildMockAnswer(call.request, callIdFor(ctx.requestId));
      const base = { id: `mock-${ctx.requestId}`, object: "chat.completion.chunk" as const, created: Math.floor(ctx.now() / 1000), model: call.route.model };
      async function* chunks(): AsyncGenerator<ChatCompletionChunk> {
        yield { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] };
        if (answer.content !== null) {
          for (const piece of answer.content.match(/\S+\s*|\s+/g) ?? [answer.content]) {
            await sleep(gap, ctx.signal);
            yield { ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] };
          }
        }
        for (const [index, call] of answer.toolCalls.entries()) {
          yield { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }, finish_reason: null }] };
          yield { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: call.function.arguments } }] }, finish_reason: null }] };
        }
        yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: answer.finish }] };
        yield { ...base, choices: [], usage: usageFor(call, (answer.content ?? "") + answer.toolCalls.map((t) => t.function.arguments).join("")) };
      }
      return { chunks: chunks(), headers: {} };
    },

    async embeddings(call, ctx: ProviderContext) {
      await sleep(latency, ctx.signal);
      const inputs = Array.isArray(call.request.input) ? call.request.input : [call.request.input];
      const dims = call.request.dimensions ?? 8;
      let total = 0;
      const data = inputs.map((input, index) => {
        const text = typeof input === "string" ? input : JSON.stringify(input);
        total += tokens(text);
        const digest = createHash("sha256").update(text).digest();
        const vector = Array.from({ length: dims }, (_, i) => (digest[i % digest.length]! - 128) / 128);
        const embedding = call.request.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
        return { object: "embedding" as const, index, embedding };
      });
      return { response: { object: "list", data, model: call.route.model, usage: { prompt_tokens: total, total_tokens: total } }, headers: {} };
    },
  };
}
