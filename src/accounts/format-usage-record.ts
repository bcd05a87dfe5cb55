import { nanoToUsd } from "../accounting/parse-usd.js";
import type { UsageRecord } from "../stores/store.js";

/** A usage record on the wire (admin usage log, GET /generation): snake_case, USD, ISO dates. */
export function formatUsageRecord(r: UsageRecord) {
  return {
    id: r.id,
    key_id: r.keyId,
    endpoint: r.endpoint,
    requested_model: r.requestedModel,
    model: r.model,
    provider: r.provider,
    attempts: r.attempts.map((a) => ({
      provider: a.provider,
      model: a.model,
      status: a.status,
      error_code: a.errorCode,
      latency_ms: a.latencyMs,
      retries: a.retries,
      started_at: new Date(a.startedAt).toISOString(),
    })),
    usage: {
      prompt_tokens: r.promptTokens,
      completion_tokens: r.completionTokens,
      total_tokens: r.totalTokens,
      cost: nanoToUsd(r.costNano),
      prompt_tokens_details: { cached_tokens: r.cachedTokens, cache_write_tokens: r.cacheWriteTokens },
      completion_tokens_details: { reasoning_tokens: r.reasoningTokens },
    },
    ttft_ms: r.ttftMs,
    latency_ms: r.latencyMs,
    status: r.status,
    error_code: r.errorCode,
    stream: r.stream,
    cancelled: r.cancelled,
    user: r.user,
    created_at: new Date(r.createdAt).toISOString(),
  };
}
