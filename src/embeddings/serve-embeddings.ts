import { attemptOptions } from "../core/attempt-options.js";
import type { Admission, Principal } from "../accounts/accounts.js";
import { finalizeUsage } from "../accounting/finalize-usage.js";
import { buildUsageRecord } from "../core/build-usage-record.js";
import { createProviderContext } from "../core/create-provider-context.js";
import type { GatewayRuntime } from "../core/gateway-runtime.js";
import type { JsonResponse } from "../core/gateway-types.js";
import { requestSignal, type CallerCancel } from "../core/request-signal.js";
import { responseHeaders } from "../core/response-headers.js";
import { GatewayError } from "../errors/gateway-error.js";
import { AttemptsExhausted, runAttempts } from "../routing/run-attempts.js";
import type { Candidate } from "../routing/plan-candidates.js";
import type { EmbeddingsRequest } from "./embeddings-request-schema.js";

export interface PreparedEmbeddings {
  requestId: string;
  generationId: string;
  principal: Principal;
  request: EmbeddingsRequest;
  candidates: Candidate[];
  admission: Admission;
  startedAt: number;
}

const ENDPOINT = "/embeddings";

/**
 * Runs the embedding attempts with retries and fallback, then prices the
 * upstream's prompt tokens, settles and logs the request. The answer keeps
 * OpenAI's shape with the serving model's id and `usage.cost` added.
 */
export async function serveEmbeddings(rt: GatewayRuntime, p: PreparedEmbeddings, caller: CallerCancel): Promise<JsonResponse> {
  const { cancel, dispose } = requestSignal(caller, rt.timeouts.totalMs);
  const warnings: string[] = [];
  const { model: _m, models: _ms, route: _r, ...params } = p.request;
  const base = { generationId: p.generationId, keyId: p.principal.keyId, endpoint: ENDPOINT, requestedModel: p.request.model ?? p.request.models?.[0] ?? "", startedAt: p.startedAt, stream: false, user: p.request.user };
  try {
    const done = await runAttempts(
      p.candidates,
      (c, s) => rt.providers.get(c.route.provider)!.embeddings!({ request: params, model: c.model, route: c.route }, createProviderContext(rt, p.requestId, s, warnings, { provider: c.route.provider, model: c.model.id }, "response")),
      attemptOptions(rt, cancel),
    );
    const { response, headers } = done.value;
    const prompt = response.usage?.prompt_tokens ?? 0;
    const { usage, costNano } = finalizeUsage(done.candidate.model, { prompt_tokens: prompt, completion_tokens: 0, total_tokens: prompt });
    await rt.accounts.finish(p.admission, buildUsageRecord({ ...base, model: done.candidate.model.id, provider: done.candidate.route.provider, attempts: done.attempts, usage, costNano, ttftMs: rt.now() - p.startedAt, now: rt.now(), status: 200, errorCode: null }));
    const body = { ...response, model: done.candidate.model.id, usage: { prompt_tokens: prompt, total_tokens: prompt, cost: usage.cost } };
    return { kind: "json", status: 200, headers: responseHeaders(p.requestId, headers, p.admission.headers, done.candidate, warnings), body };
  } catch (error) {
    const err = error instanceof GatewayError ? error : undefined;
    await rt.accounts.finish(
      p.admission,
      buildUsageRecord({ ...base, model: null, provider: null, attempts: error instanceof AttemptsExhausted ? error.attempts : [], usage: null, costNano: 0, ttftMs: null, now: rt.now(), status: err?.status ?? 500, errorCode: err?.code ?? "internal_error", cancelled: caller?.aborted }),
    );
    throw error;
  } finally {
    dispose();
  }
}
