import type { Usage } from "../schemas/chat-response.js";
import type { AttemptRecord, UsageRecord } from "../stores/store.js";

export interface UsageRecordInput {
  generationId: string;
  keyId: string | null;
  endpoint: string;
  requestedModel: string;
  model: string | null;
  provider: string | null;
  attempts: AttemptRecord[];
  usage: Usage | null;
  costNano: number;
  ttftMs: number | null;
  startedAt: number;
  now: number;
  status: number;
  errorCode: string | null;
  stream: boolean;
  cancelled?: boolean;
  user?: string;
}

/** One usage-log record from what a request did. */
export function buildUsageRecord(i: UsageRecordInput): UsageRecord {
  const u = i.usage;
  return {
    id: i.generationId,
    keyId: i.keyId,
    endpoint: i.endpoint,
    requestedModel: i.requestedModel,
    model: i.model,
    provider: i.provider,
    attempts: i.attempts,
    promptTokens: u?.prompt_tokens ?? 0,
    completionTokens: u?.completion_tokens ?? 0,
    totalTokens: u ? u.prompt_tokens + u.completion_tokens : 0,
    cachedTokens: u?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: u?.prompt_tokens_details?.cache_write_tokens ?? 0,
    reasoningTokens: u?.completion_tokens_details?.reasoning_tokens ?? 0,
    costNano: i.costNano,
    ttftMs: i.ttftMs,
    latencyMs: i.now - i.startedAt,
    status: i.status,
    errorCode: i.errorCode,
    stream: i.stream,
    cancelled: i.cancelled ?? false,
    user: i.user ?? null,
    createdAt: i.startedAt,
  };
}
