import { callerOf, type CallerCancel } from "./request-signal.js";
import { GatewayError } from "../errors/gateway-error.js";
import { completionRequestSchema, type CompletionRequest } from "../schemas/completion-request-schema.js";
import { parseBody } from "../schemas/parse-body.js";
import { completionToChat } from "./completion-to-chat.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { GatewayRequest, GatewayResponse } from "./gateway-types.js";
import { prepareChat, type PreparedCall } from "./prepare-chat.js";
import { serveChat } from "./serve-chat.js";
import { streamChat } from "./stream-chat.js";
import { textChunksAsChat } from "./text-chunks-as-chat.js";
import type { Candidate } from "../routing/plan-candidates.js";
import { chatToTextCompletion, textCompletionFormatter } from "./text-completion-formatter.js";
import type { ChatRequest } from "../schemas/chat-request-schema.js";
import type { ChatCompletion } from "../schemas/chat-response.js";

const ENDPOINT = "/completions";

/**
 * Legacy /completions: served natively when every route's provider has
 * the endpoint, otherwise translated to chat and back.
 */
export async function handleCompletions(rt: GatewayRuntime, req: GatewayRequest, raw: Record<string, unknown>, requestId: string): Promise<GatewayResponse> {
  const legacy = parseBody(completionRequestSchema, raw);
  const prompts = Array.isArray(legacy.prompt) ? legacy.prompt : [legacy.prompt];
  const prepared = await prepareChat(rt, req, completionToChat(legacy, prompts.join("\n")), requestId, ENDPOINT);
  const native = prepared.candidates.every((c) => rt.providers.get(c.route.provider)?.completion);
  if (native) return serveNative(rt, prepared, legacy, callerOf(req));
  if (legacy.stream) {
    if (prompts.length > 1) throw new GatewayError({ status: 422, code: "unsupported_parameter", message: "Streaming several prompts at once needs an upstream with native /completions", param: "prompt" });
    return streamChat(rt, prepared, callerOf(req), ENDPOINT, textCompletionFormatter);
  }
  if (prompts.length === 1) {
    const res = await serveChat(rt, prepared, callerOf(req), ENDPOINT);
    return { ...res, body: chatToTextCompletion(res.body as ChatCompletion) };
  }
  return servePromptList(rt, prepared, prompts, callerOf(req));
}

/** Several prompts on a chat-only upstream: one chat call each, choices numbered in order. */
async function servePromptList(rt: GatewayRuntime, prepared: PreparedCall<ChatRequest>, prompts: string[], caller: CallerCancel): Promise<GatewayResponse> {
  const n = prepared.request.n ?? 1;
  const results = [];
  for (const [i, prompt] of prompts.entries()) {
    const request = { ...prepared.request, messages: [{ role: "user" as const, content: prompt }] };
    const res = await serveChat(rt, { ...prepared, request, generationId: i === 0 ? prepared.generationId : rt.generateId("gen") }, caller, ENDPOINT);
    results.push({ res, body: chatToTextCompletion(res.body as ChatCompletion) });
  }
  const first = results[0]!;
  const usage = results.reduce(
    (acc, r) => {
      const u = r.body.usage!;
      return { prompt_tokens: acc.prompt_tokens + u.prompt_tokens, completion_tokens: acc.completion_tokens + u.completion_tokens, total_tokens: acc.total_tokens + u.total_tokens, costNano: 0 };
    },
    { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, costNano: 0 },
  );
  const choices = results.flatMap((r, i) => r.body.choices.map((c) => ({ ...c, index: i * n + c.index })));
  const cost = results.reduce((s, r) => s + Math.round((r.body.usage?.cost ?? 0) * 1e9), 0) / 1e9;
  return { ...first.res, body: { ...first.body, choices, usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens, cost } } };
}

/**
 * Native legacy completions go through the same pipeline as chat (fallback
 * until the first byte, usage once, error events, disconnect accounting);
 * only the route call differs. Stream chunks travel as chat chunks and the
 * text-completion formatter writes them back.
 */
function serveNative(rt: GatewayRuntime, p: PreparedCall<ChatRequest>, legacy: CompletionRequest, caller: CallerCancel): Promise<GatewayResponse> {
  const request = (c: Candidate) => ({ request: { ...legacy, model: c.route.model }, model: c.model, route: c.route });
  if (legacy.stream) {
    return streamChat(rt, p, caller, ENDPOINT, textCompletionFormatter, async (c, ctx) => {
      const res = await rt.providers.get(c.route.provider)!.completionStream!(request(c), ctx);
      return { headers: res.headers, chunks: textChunksAsChat(res.chunks) };
    });
  }
  return serveChat(rt, p, caller, ENDPOINT, (c, ctx) => rt.providers.get(c.route.provider)!.completion!(request(c), ctx));
}
