import { finalizeUsage } from "../accounting/finalize-usage.js";
import { GatewayError } from "../errors/gateway-error.js";
import { runAttempts, AttemptsExhausted } from "../routing/run-attempts.js";
import { completionRequestSchema, type CompletionRequest } from "../schemas/completion-request-schema.js";
import { parseBody } from "../schemas/parse-body.js";
import { buildUsageRecord } from "./build-usage-record.js";
import { completionToChat } from "./completion-to-chat.js";
import { createProviderContext } from "./create-provider-context.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { GatewayRequest, GatewayResponse } from "./gateway-types.js";
import { prepareChat, type PreparedCall } from "./prepare-chat.js";
import { requestSignal } from "./request-signal.js";
import { responseHeaders } from "./response-headers.js";
import { serveChat } from "./serve-chat.js";
import { streamChat } from "./stream-chat.js";
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
  if (native) return serveNative(rt, prepared, legacy, req.signal);
  if (legacy.stream) {
    if (prompts.length > 1) throw new GatewayError({ status: 422, code: "unsupported_parameter", message: "Streaming several prompts at once needs an upstream with native /completions", param: "prompt" });
    return streamChat(rt, prepared, req.signal, ENDPOINT, textCompletionFormatter);
  }
  if (prompts.length === 1) {
    const res = await serveChat(rt, prepared, req.signal, ENDPOINT);
    return { ...res, body: chatToTextCompletion(res.body as ChatCompletion) };
  }
  return servePromptList(rt, prepared, prompts, req.signal);
}

/** Several prompts on a chat-only upstream: one chat call each, choices numbered in order. */
async function servePromptList(rt: GatewayRuntime, prepared: PreparedCall<ChatRequest>, prompts: string[], signal: AbortSignal | undefined): Promise<GatewayResponse> {
  const n = prepared.request.n ?? 1;
  const results = [];
  for (const [i, prompt] of prompts.entries()) {
    const request = { ...prepared.request, messages: [{ role: "user" as const, content: prompt }] };
    const res = await serveChat(rt, { ...prepared, request, generationId: i === 0 ? prepared.generationId : rt.generateId("gen") }, signal, ENDPOINT);
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

async function serveNative(rt: GatewayRuntime, p: PreparedCall<ChatRequest>, legacy: CompletionRequest, callerSignal: AbortSignal | undefined): Promise<GatewayResponse> {
  const { signal, dispose } = requestSignal(callerSignal, rt.timeouts.totalMs);
  const warnings: string[] = [];
  const requestedModel = legacy.model ?? legacy.models?.[0] ?? "";
  const base = { generationId: p.generationId, keyId: p.principal.keyId, endpoint: ENDPOINT, requestedModel, startedAt: p.startedAt, user: legacy.user };
  try {
    if (legacy.stream) {
      // Native legacy streams are relayed through the chat pipeline's formatter contract.
      const done = await runAttempts(
        p.candidates,
        (c, s) => rt.providers.get(c.route.provider)!.completionStream!({ request: { ...legacy, model: c.route.model }, model: c.model, route: c.route }, createProviderContext(rt, p.requestId, s, warnings, { provider: c.route.provider, model: c.model.id }, "stream")),
        { ...rt.retry, health: rt.health, now: rt.now, random: rt.random, signal },
      );
      return nativeStream(rt, p, done, base, dispose);
    }
    const done = await runAttempts(
      p.candidates,
      (c, s) => rt.providers.get(c.route.provider)!.completion!({ request: { ...legacy, model: c.route.model }, model: c.model, route: c.route }, createProviderContext(rt, p.requestId, s, warnings, { provider: c.route.provider, model: c.model.id }, "response")),
      { ...rt.retry, health: rt.health, now: rt.now, random: rt.random, signal },
    );
    const { usage, costNano } = finalizeUsage(done.candidate.model, done.value.completion.usage);
    await rt.accounts.finish(p.admission, buildUsageRecord({ ...base, model: done.candidate.model.id, provider: done.candidate.route.provider, attempts: done.attempts, usage, costNano, ttftMs: rt.now() - p.startedAt, now: rt.now(), status: 200, errorCode: null, stream: false }));
    dispose();
    return { kind: "json", status: 200, headers: responseHeaders(p.requestId, done.value.headers, p.admission.headers, done.candidate, warnings), body: { ...done.value.completion, id: p.generationId, model: done.candidate.model.id, provider: done.candidate.route.provider, usage } };
  } catch (error) {
    const err = error instanceof GatewayError ? error : undefined;
    await rt.accounts.finish(p.admission, buildUsageRecord({ ...base, model: null, provider: null, attempts: error instanceof AttemptsExhausted ? error.attempts : [], usage: null, costNano: 0, ttftMs: null, now: rt.now(), status: err?.status ?? 500, errorCode: err?.code ?? "internal_error", stream: Boolean(legacy.stream) }));
    dispose();
    throw error;
  }
}

type NativeDone = Awaited<ReturnType<typeof runAttempts<Awaited<ReturnType<NonNullable<import("../providers/provider.js").Provider["completionStream"]>>>>>>;

function nativeStream(rt: GatewayRuntime, p: PreparedCall<ChatRequest>, done: NativeDone, base: { generationId: string; keyId: string | null; endpoint: string; requestedModel: string; startedAt: number; user?: string }, dispose: () => void): GatewayResponse {
  const model = done.candidate.model;
  async function* events(): AsyncGenerator<string> {
    let usage = null;
    let ok = false;
    try {
      for await (const chunk of done.value.chunks) {
        if (chunk.usage) usage = chunk.usage;
        if ((chunk.choices ?? []).length === 0) continue;
        yield `data: ${JSON.stringify({ ...chunk, id: p.generationId, model: model.id, usage: undefined })}\n\n`;
      }
      ok = true;
      const final = finalizeUsage(model, usage);
      yield `data: ${JSON.stringify({ id: p.generationId, object: "text_completion", created: Math.floor(rt.now() / 1000), model: model.id, choices: [], usage: final.usage })}\n\n`;
      yield "data: [DONE]\n\n";
      await rt.accounts.finish(p.admission, buildUsageRecord({ ...base, model: model.id, provider: done.candidate.route.provider, attempts: done.attempts, usage: final.usage, costNano: final.costNano, ttftMs: null, now: rt.now(), status: 200, errorCode: null, stream: true }));
    } catch (error) {
      yield textCompletionFormatter.fail(error, null, null);
    } finally {
      if (!ok) {
        const partial = finalizeUsage(model, usage);
        await rt.accounts.finish(p.admission, buildUsageRecord({ ...base, model: model.id, provider: done.candidate.route.provider, attempts: done.attempts, usage: partial.usage, costNano: partial.costNano, ttftMs: null, now: rt.now(), status: 502, errorCode: "stream_failed", stream: true, cancelled: true }));
      }
      dispose();
    }
  }
  return { kind: "stream", status: 200, headers: responseHeaders(p.requestId, done.value.headers, p.admission.headers, done.candidate, []), events: events() };
}
