import { attemptOptions } from "./attempt-options.js";
import { mergeFields } from "./merge-fields.js";
import { finalizeUsage } from "../accounting/finalize-usage.js";
import { runAttempts, AttemptsExhausted } from "../routing/run-attempts.js";
import type { ChatRequest } from "../schemas/chat-request-schema.js";
import { buildUsageRecord } from "./build-usage-record.js";
import { createProviderContext } from "./create-provider-context.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { JsonResponse } from "./gateway-types.js";
import type { PreparedCall } from "./prepare-chat.js";
import { requestSignal, type CallerCancel } from "./request-signal.js";
import { responseHeaders } from "./response-headers.js";
import { toChatCall } from "./to-chat-call.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { ProviderContext } from "../providers/provider.js";
import type { Candidate } from "../routing/plan-candidates.js";
import type { Usage } from "../schemas/chat-response.js";

/** One route's non-streamed answer: a chat completion, or a native legacy text completion. */
export type CallRoute = (candidate: Candidate, ctx: ProviderContext) => Promise<{ completion: { usage?: Usage | null }; headers: Record<string, string> }>;

/** A non-streamed answer: attempts with fallback, then usage, cost and the log record. */
export async function serveChat(
  rt: GatewayRuntime,
  p: PreparedCall<ChatRequest>,
  caller: CallerCancel,
  endpoint: string,
  call: CallRoute = (c, ctx) => rt.providers.get(c.route.provider)!.chat(toChatCall(p.request, c), ctx),
): Promise<JsonResponse> {
  const { cancel, dispose } = requestSignal(caller, rt.timeouts.totalMs);
  const warnings: string[] = [];
  const requestedModel = p.request.model ?? p.request.models?.[0] ?? "";
  try {
    const done = await runAttempts(
      p.candidates,
      (c, s) => call(c, createProviderContext(rt, p.requestId, s, warnings, { provider: c.route.provider, model: c.model.id }, "response")),
      attemptOptions(rt, cancel),
    );
    const { completion, headers } = done.value;
    const { usage, costNano } = finalizeUsage(done.candidate.model, completion.usage);
    const body = mergeFields(completion, { id: p.generationId, model: done.candidate.model.id, provider: done.candidate.route.provider, usage });
    await rt.accounts.finish(
      p.admission,
      buildUsageRecord({
        generationId: p.generationId, keyId: p.principal.keyId, endpoint, requestedModel, model: done.candidate.model.id, provider: done.candidate.route.provider,
        attempts: done.attempts, usage, costNano, ttftMs: rt.now() - p.startedAt, startedAt: p.startedAt, now: rt.now(), status: 200, errorCode: null, stream: false, user: p.request.user,
      }),
    );
    const dropped = [...(p.dropped.get(done.candidate.route.key) ?? []), ...warnings];
    return { kind: "json", status: 200, headers: responseHeaders(p.requestId, headers, p.admission.headers, done.candidate, dropped), body };
  } catch (error) {
    const err = error instanceof GatewayError ? error : undefined;
    await rt.accounts.finish(
      p.admission,
      buildUsageRecord({
        generationId: p.generationId, keyId: p.principal.keyId, endpoint, requestedModel, model: null, provider: null,
        attempts: error instanceof AttemptsExhausted ? error.attempts : [], usage: null, costNano: 0, ttftMs: null, startedAt: p.startedAt, now: rt.now(),
        status: err?.status ?? 500, errorCode: err?.code ?? "internal_error", stream: false, cancelled: caller?.aborted, user: p.request.user,
      }),
    );
    throw error;
  } finally {
    dispose();
  }
}
