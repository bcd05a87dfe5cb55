import { PENDING_ERROR_CODE, type UsageRecord } from "../stores/store.js";
import type { AdmitInput } from "./accounts.js";

/** The record written with the reservation, so a request killed before settle still leaves a trace. */
export function pendingUsageRecord(id: string, keyId: string | null, input: AdmitInput, now: number): UsageRecord {
  return {
    id,
    keyId,
    endpoint: input.endpoint ?? "",
    requestedModel: input.model.id,
    model: null,
    provider: null,
    attempts: [],
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNano: 0,
    ttftMs: null,
    latencyMs: 0,
    status: 0,
    errorCode: PENDING_ERROR_CODE,
    stream: input.stream ?? false,
    cancelled: false,
    user: input.user ?? null,
    createdAt: now,
  };
}
