import { asAsyncIterable } from "../../core/as-async-iterable.js";
import { GatewayError } from "../../errors/gateway-error.js";
import { createSseDecoder, type SseEvent } from "../../http/parse-sse.js";
import type { ChatCompletion, ChatCompletionChunk, TextCompletion } from "../../schemas/chat-response.js";
import type { Provider, ProviderContext, StreamItem } from "../provider.js";
import { pickRelayHeaders } from "../shared/pick-relay-headers.js";
import { readJsonBody } from "../shared/read-json-body.js";
import { sendUpstream } from "../shared/send-upstream.js";
import { buildOpenAIBody } from "./build-openai-body.js";
import { extractOpenAIError } from "./extract-openai-error.js";
import { normalizeOpenAIMessage } from "./normalize-openai-message.js";
import { createChunkState, normalizeOpenAIChunk } from "./normalize-openai-chunk.js";
import { normalizeOpenAIUsage } from "./normalize-openai-usage.js";
import { normalizeCompletionUsage } from "./normalize-completion-usage.js";
import { readCommonChunk } from "./read-common-chunk.js";
import { dropOffSpecFields } from "./drop-off-spec-fields.js";

export interface OpenAIProviderOptions {
  apiKey?: string;
  baseURL?: string;
  headers?: Record<string, string>;
  legacyCompletions?: boolean;
}

/**
 * Every chat parameter of the OpenAI API. "*": unknown extra fields are
 * passed through unchanged, so nothing is dropped on the way.
 */
export const openaiCapabilities: ReadonlySet<string> = new Set(["*",
  "messages", "model", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n",
  "stop", "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "tools", "tool_choice",
  "parallel_tool_calls", "response_format", "seed", "user", "reasoning", "reasoning_effort", "metadata",
]);

/** A stream that ended without `[DONE]` or a finish reason was cut (Portkey #1797). */
function streamCut(provider: string): GatewayError {
  return new GatewayError({
    status: 502,
    code: "upstream_stream_cut",
    message: `The stream from ${provider} ended before it was complete`,
    isRetryable: true,
    upstream: { kind: "bad_response", provider },
  });
}

function errorInStream(provider: string, payload: { error?: unknown }): GatewayError {
  const info = extractOpenAIError(payload);
  return new GatewayError({
    status: 502,
    code: info.code ?? "upstream_error",
    message: info.message ?? `Upstream ${provider} reported an error mid-stream`,
    isRetryable: true,
    upstream: { kind: "server", provider },
  });
}

function parseStreamPayload<T>(data: string, provider: string): T & { error?: unknown } {
  try {
    return JSON.parse(data) as T & { error?: unknown };
  } catch (cause) {
    throw new GatewayError({ status: 502, code: "upstream_bad_response", message: `Upstream ${provider} sent an invalid stream event`, cause, isRetryable: true, upstream: { kind: "bad_response", provider } });
  }
}

/**
 * Reads an OpenAI-style SSE body. Events are decoded synchronously and all
 * the chunks of one upstream read are yielded as one batch: one async step
 * per read, not per event (the per-event steps showed in the SSE profile).
 * An error after some chunks of a read first yields those chunks, then
 * closes the body and throws.
 */
function readOpenAIStream<T>(
  body: AsyncIterable<Uint8Array>,
  provider: string,
  transform: (payload: T) => T,
  isFinished: (payload: T) => boolean,
  /** A cheaper reader for the common payload shape; undefined falls back to the full parse. */
  fast?: (data: string) => T | undefined,
): AsyncIterableIterator<StreamItem<T>> {
  let finished = false;
  let done = false;
  const accept = (events: SseEvent[], batch: T[]): void => {
    for (const event of events) {
      if (event.data === "[DONE]") {
        done = true;
        return;
      }
      const quick = fast?.(event.data);
      if (quick !== undefined) {
        if (isFinished(quick)) finished = true;
        batch.push(quick);
        continue;
      }
      const payload = parseStreamPayload<T>(event.data, provider);
      if (payload.error !== undefined) throw errorInStream(provider, payload);
      if (isFinished(payload)) finished = true;
      batch.push(transform(payload));
    }
  };
  const decoder = createSseDecoder();
  let failure: unknown;
  /** One read's items as one batch; a failure among them is kept in `failure`, thrown after the items before it. */
  const collect = (events: SseEvent[]): StreamItem<T> | undefined => {
    const batch: T[] = [];
    try {
      accept(events, batch);
    } catch (error) {
      failure = error;
    }
    return batch.length === 0 ? undefined : batch.length === 1 ? batch[0]! : batch;
  };

  // A hand-written iterator, not an async generator: one await per upstream read instead of a
  // generator's own awaits and queue per step (the hot loop of every stream).
  const source = body[Symbol.asyncIterator]();
  let sourceEnded = false;
  let tailRead = false;
  let over = false;
  const end = (): IteratorResult<StreamItem<T>> => {
    over = true;
    return { done: true, value: undefined };
  };
  const fail = async (error: unknown): Promise<never> => {
    over = true;
    if (!sourceEnded) {
      try {
        await source.return?.();
      } catch {
        // The stream's own failure is what the caller needs to see (as a for-await loop would do).
      }
    }
    throw error;
  };
  return asAsyncIterable<StreamItem<T>>({
    async next() {
      if (over) return end();
      if (failure !== undefined) return fail(failure);
      try {
        while (!sourceEnded) {
          const read = await source.next();
          if (read.done) {
            sourceEnded = true;
            break;
          }
          // Read on to the body's end after [DONE] (normally nothing more): leaving
          // early destroys the undici body with an AbortError (a stack capture per stream).
          if (done) continue;
          const item = collect(decoder.push(read.value));
          if (item !== undefined) return { done: false, value: item };
          if (failure !== undefined) return fail(failure);
        }
      } catch (error) {
        over = true;
        sourceEnded = true; // the body threw: it is closed already
        throw error;
      }
      if (!done && !tailRead) {
        tailRead = true;
        const last = collect(decoder.end());
        if (last !== undefined) return { done: false, value: last };
      }
      if (failure !== undefined) return fail(failure);
      // Some compatibles omit [DONE]; a stream that reached its finish reason is whole.
      if (!finished && !done) return fail(streamCut(provider));
      return end();
    },
    async return() {
      if (!over && !sourceEnded) {
        over = true;
        await source.return?.();
      }
      return end();
    },
  });
}

const chunkFinished = (c: ChatCompletionChunk) => (c.choices ?? []).some((ch) => ch.finish_reason != null);
const completionFinished = (c: TextCompletion) => (c.choices ?? []).some((ch) => ch.finish_reason != null);

/** Any OpenAI-compatible API (OpenAI, Azure-style, vLLM, Ollama, DeepSeek, Groq, ...). */
export function createOpenAIProvider(name: string, options: OpenAIProviderOptions): Provider {
  const base = (options.baseURL ?? "https://api.openai.com/v1").replace(/\/+$/, "");
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const post = (ctx: ProviderContext, path: string, body: unknown) =>
    sendUpstream(ctx, name, `${base}${path}`, headers, body, extractOpenAIError);

  const provider: Provider = {
    name,
    type: "openai",
    capabilities: openaiCapabilities,

    async chat(call, ctx) {
      const res = await post(ctx, "/chat/completions", buildOpenAIBody(call, false));
      const raw = await readJsonBody<ChatCompletion>(res, name);
      const choices = (raw.choices ?? []).map((c, i) => ({
        ...c,
        index: c.index ?? i,
        message: normalizeOpenAIMessage(c.message as unknown as Record<string, unknown>),
        finish_reason: c.finish_reason ?? "stop",
        logprobs: c.logprobs ?? null,
      }));
      dropOffSpecFields(raw);
      const completion: ChatCompletion = {
        ...raw,
        object: "chat.completion",
        choices,
        usage: normalizeOpenAIUsage(raw.usage) ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      };
      return { completion, headers: pickRelayHeaders(res.headers) };
    },

    async chatStream(call, ctx) {
      const res = await post(ctx, "/chat/completions", buildOpenAIBody(call, true));
      const state = createChunkState();
      // A finish chunk after tool calls takes the full path: it may have to close calls that streamed no arguments.
      const common = (data: string) => {
        const chunk = readCommonChunk(data);
        return chunk && chunk.choices[0]!.finish_reason !== null && state.argumentChars.size > 0 ? undefined : chunk;
      };
      const chunks = readOpenAIStream<ChatCompletionChunk>(res.body, name, (c) => normalizeOpenAIChunk(c, state), chunkFinished, common);
      return { chunks, headers: pickRelayHeaders(res.headers) };
    },

    embeddings: async (call, ctx) => {
      const res = await post(ctx, "/embeddings", { ...call.request, model: call.route.model });
      const response = await readJsonBody<Awaited<ReturnType<NonNullable<Provider["embeddings"]>>>["response"]>(res, name);
      return { response, headers: pickRelayHeaders(res.headers) };
    },
  };

  if (options.legacyCompletions) {
    const legacyBody = (call: { request: Record<string, unknown>; route: { model: string } }, stream: boolean) => {
      const body: Record<string, unknown> = { ...call.request, model: call.route.model };
      delete body.models;
      delete body.route;
      delete body.provider;
      if (stream) body.stream_options = { include_usage: true };
      else delete body.stream_options;
      body.stream = stream;
      return body;
    };
    provider.completion = async (call, ctx) => {
      const res = await post(ctx, "/completions", legacyBody(call, false));
      const raw = await readJsonBody<TextCompletion>(res, name);
      return { completion: { ...raw, usage: normalizeCompletionUsage(raw.usage) }, headers: pickRelayHeaders(res.headers) };
    };
    provider.completionStream = async (call, ctx) => {
      const res = await post(ctx, "/completions", legacyBody(call, true));
      const chunks = readOpenAIStream<TextCompletion>(
        res.body,
        name,
        (c) => (c.usage ? { ...c, usage: normalizeCompletionUsage(c.usage) } : c),
        completionFinished,
      );
      return { chunks, headers: pickRelayHeaders(res.headers) };
    };
  }
  return provider;
}
