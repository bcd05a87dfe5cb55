import type { CatalogModel, CatalogRoute } from "../../../src/catalog/catalog-model.js";
import { createUndiciTransport, type Transport } from "../../../src/http/transport.js";
import type { ChatCall, ProviderContext, StreamItem } from "../../../src/providers/provider.js";
import { singleChunks } from "../../helpers/single-chunks.js";
import type { GeminiConvertOptions } from "../../../src/providers/google/remote-media.js";
import { chatRequestSchema, type ChatRequest } from "../../../src/schemas/chat-request-schema.js";
import type { ChatCompletionChunk } from "../../../src/schemas/chat-response.js";

export const transport: Transport = createUndiciTransport();

export interface Warning {
  param: string;
  reason: string;
}

/** A validated chat request (defaults applied) from loose input. */
export function chatRequest(input: Record<string, unknown>): ChatRequest {
  return chatRequestSchema.parse({ model: "gemini-2.5-flash", ...input });
}

export function convertOptions(overrides: Partial<GeminiConvertOptions> = {}): GeminiConvertOptions & { warnings: Warning[] } {
  const warnings: Warning[] = [];
  return { model: "gemini-2.5-flash", media: new Map(), fetchUrls: false, warn: (param, reason) => warnings.push({ param, reason }), warnings, ...overrides };
}

export function chatCall(input: Record<string, unknown>, upstreamModel = "gemini-2.5-flash"): ChatCall {
  const route: CatalogRoute = { key: `google:${upstreamModel}`, provider: "google", model: upstreamModel, weight: 1, priority: 0 };
  const model = {
    id: `google/${upstreamModel}`,
    name: upstreamModel,
    routes: [route],
    kind: "chat",
  } as unknown as CatalogModel;
  return { request: chatRequest({ model: upstreamModel, ...input }), model, route };
}

export function providerContext(overrides: Partial<ProviderContext> = {}): ProviderContext & { warnings: Warning[] } {
  const warnings: Warning[] = [];
  return {
    transport,
    signal: new AbortController().signal,
    requestId: "req_test",
    now: () => 1_700_000_000_000,
    firstByteMs: 5_000,
    idleMs: 5_000,
    warn: (param, reason) => warnings.push({ param, reason }),
    warnings,
    ...overrides,
  };
}

export async function collect(chunks: AsyncIterable<StreamItem<ChatCompletionChunk>>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const chunk of singleChunks(chunks)) out.push(chunk);
  return out;
}

export interface Assembled {
  content: string;
  reasoning: string;
  toolCalls: Array<{ index: number; id: string; name: string; arguments: string }>;
  finishReasons: Array<string | null>;
  roleChunks: number;
}

/** Folds a chunk list for choice 0 the way an OpenAI client does. */
export function assemble(chunks: ChatCompletionChunk[], choice = 0): Assembled {
  const out: Assembled = { content: "", reasoning: "", toolCalls: [], finishReasons: [], roleChunks: 0 };
  for (const chunk of chunks) {
    for (const c of chunk.choices) {
      if (c.index !== choice) continue;
      if (c.delta.role === "assistant") out.roleChunks++;
      out.content += c.delta.content ?? "";
      out.reasoning += c.delta.reasoning ?? "";
      for (const call of c.delta.tool_calls ?? []) {
        let entry = out.toolCalls.find((t) => t.index === call.index);
        if (!entry) {
          entry = { index: call.index, id: "", name: "", arguments: "" };
          out.toolCalls.push(entry);
        }
        if (call.id) entry.id = call.id;
        if (call.function?.name) entry.name += call.function.name;
        entry.arguments += call.function?.arguments ?? "";
      }
      if (c.finish_reason !== null) out.finishReasons.push(c.finish_reason);
    }
  }
  return out;
}
