import type { CatalogModel } from "../../../src/catalog/catalog-model.js";
import { toCatalogModel } from "../../../src/catalog/build-catalog.js";
import { createUndiciTransport } from "../../../src/http/transport.js";
import type { ProviderContext, StreamItem } from "../../../src/providers/provider.js";
import { singleChunks } from "../../helpers/single-chunks.js";
import { chatRequestSchema, type ChatRequest } from "../../../src/schemas/chat-request-schema.js";
import type { ChatCompletionChunk, ReasoningDetail, Usage } from "../../../src/schemas/chat-response.js";

export const NOW = 1_760_000_000_000;

/** A catalogue entry built the way createGateway builds one. */
export function makeModel(overrides: Partial<CatalogModel> = {}): CatalogModel {
  const base = toCatalogModel(
    {
      id: "anthropic/claude-sonnet-4-5",
      name: "Claude Sonnet 4.5",
      created: 0,
      context_length: 200_000,
      max_output_tokens: 8192,
      pricing: { prompt: "3", completion: "15" },
      modalities: { input: ["text", "image", "file"], output: ["text"] },
      routes: [{ provider: "anthropic", model: "claude-sonnet-4-5" }],
    },
    0,
  );
  return { ...base, ...overrides };
}

/** A validated request, as the gateway hands it to a provider. */
export function req(body: Record<string, unknown>): ChatRequest {
  return chatRequestSchema.parse({ model: "claude-sonnet-4-5", ...body });
}

export interface Warning {
  param: string;
  reason: string;
}

const transport = createUndiciTransport();

export function makeCtx(warnings: Warning[] = [], overrides: Partial<ProviderContext> = {}): ProviderContext {
  return {
    transport,
    signal: new AbortController().signal,
    requestId: "req_test",
    now: () => NOW,
    warn: (param, reason) => warnings.push({ param, reason }),
    ...overrides,
  };
}

export function makeCall(body: Record<string, unknown>, model = makeModel()) {
  return { request: req(body), model, route: model.routes[0]! };
}

export interface Collected {
  chunks: ChatCompletionChunk[];
  role?: string;
  content: string;
  refusal: string;
  reasoning: string;
  reasoningDetails: ReasoningDetail[];
  toolCalls: Array<{ index: number; id?: string; type?: string; name?: string; arguments: string }>;
  annotations: unknown[];
  finish: string | null;
  nativeFinish: string | null | undefined;
  usage?: Usage | null;
  /** Indexes of the chunks that carried usage. */
  usageAt: number[];
}

/** Replays a chunk stream the way an OpenAI SDK client accumulates it. */
export async function collect(items: AsyncIterable<StreamItem<ChatCompletionChunk>>): Promise<Collected> {
  const chunks = singleChunks(items);
  const out: Collected = { chunks: [], content: "", refusal: "", reasoning: "", reasoningDetails: [], toolCalls: [], annotations: [], finish: null, nativeFinish: undefined, usageAt: [] };
  for await (const chunk of chunks) {
    out.chunks.push(chunk);
    if (chunk.usage) {
      out.usage = chunk.usage;
      out.usageAt.push(out.chunks.length - 1);
    }
    for (const choice of chunk.choices) applyChoice(out, choice);
  }
  return out;
}

function applyChoice(out: Collected, choice: ChatCompletionChunk["choices"][number]): void {
  const d = choice.delta;
  if (d.role) out.role ??= d.role;
  if (typeof d.content === "string") out.content += d.content;
  if (typeof d.refusal === "string") out.refusal += d.refusal;
  if (typeof d.reasoning === "string") out.reasoning += d.reasoning;
  if (d.reasoning_details) out.reasoningDetails.push(...d.reasoning_details);
  if (Array.isArray(d.annotations)) out.annotations.push(...(d.annotations as unknown[]));
  for (const tc of d.tool_calls ?? []) {
    let slot = out.toolCalls.find((t) => t.index === tc.index);
    if (!slot) {
      slot = { index: tc.index, arguments: "" };
      out.toolCalls.push(slot);
    }
    if (tc.id) slot.id = tc.id;
    if (tc.type) slot.type = tc.type;
    if (tc.function?.name) slot.name = tc.function.name;
    if (tc.function?.arguments) slot.arguments += tc.function.arguments;
  }
  if (choice.finish_reason) {
    out.finish = choice.finish_reason;
    out.nativeFinish = choice.native_finish_reason;
  }
}

/** Joins streamed reasoning_details fragments by index: text concatenated, signature kept. */
export function joinDetails(details: ReasoningDetail[]): ReasoningDetail[] {
  const byIndex = new Map<number, ReasoningDetail>();
  for (const d of details) {
    const prev = byIndex.get(d.index ?? -1);
    if (!prev) byIndex.set(d.index ?? -1, { ...d });
    else {
      prev.text = `${prev.text ?? ""}${d.text ?? ""}`;
      if (d.signature) prev.signature = d.signature;
    }
  }
  return [...byIndex.values()];
}
