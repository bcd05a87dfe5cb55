import { quoteJsonString as str } from "../core/quote-json-string.js";
import type { AttemptRecord, UsageRecord } from "./store.js";

const strOrNull = (s: string | null): string => (s === null ? "null" : str(s));
/** As JSON writes a number: NaN and the infinities as null. */
const num = (n: number): string => (Number.isFinite(n) ? `${n}` : "null");
const numOrNull = (n: number | null): string => (n === null ? "null" : num(n));

function encodeAttempt(a: AttemptRecord): string {
  return `{"provider":${str(a.provider)},"model":${str(a.model)},"status":${num(a.status)},"errorCode":${strOrNull(a.errorCode)},"latencyMs":${num(a.latencyMs)},"retries":${num(a.retries)},"startedAt":${num(a.startedAt)}}`;
}

/**
 * A usage record as `JSON.stringify` writes it (the same text, field for
 * field), written out field by field: the record is stored with every
 * request, and JSON.stringify's general walk cost about three times as
 * many instructions for it (`npm run bench:instructions`). The fields are
 * UsageRecord's; a test holds the list to what buildUsageRecord makes.
 */
export function encodeUsageRecord(r: UsageRecord): string {
  let attempts = "";
  for (let i = 0; i < r.attempts.length; i++) attempts += (i === 0 ? "" : ",") + encodeAttempt(r.attempts[i]!);
  return (
    `{"id":${str(r.id)},"keyId":${strOrNull(r.keyId)},"endpoint":${str(r.endpoint)},"requestedModel":${str(r.requestedModel)},` +
    `"model":${strOrNull(r.model)},"provider":${strOrNull(r.provider)},"attempts":[${attempts}],` +
    `"promptTokens":${num(r.promptTokens)},"completionTokens":${num(r.completionTokens)},"totalTokens":${num(r.totalTokens)},` +
    `"cachedTokens":${num(r.cachedTokens)},"cacheWriteTokens":${num(r.cacheWriteTokens)},"reasoningTokens":${num(r.reasoningTokens)},` +
    `"costNano":${num(r.costNano)},"ttftMs":${numOrNull(r.ttftMs)},"latencyMs":${num(r.latencyMs)},"status":${num(r.status)},` +
    `"errorCode":${strOrNull(r.errorCode)},"stream":${r.stream ? "true" : "false"},"cancelled":${r.cancelled ? "true" : "false"},` +
    `"user":${strOrNull(r.user)},"createdAt":${num(r.createdAt)}}`
  );
}
