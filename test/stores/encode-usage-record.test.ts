import { describe, expect, it } from "vitest";
import { buildUsageRecord, type UsageRecordInput } from "../../src/core/build-usage-record.js";
import { encodeUsageRecord } from "../../src/stores/encode-usage-record.js";
import type { UsageRecord } from "../../src/stores/store.js";

const input: UsageRecordInput = {
  generationId: "gen-01abc",
  keyId: "key_1",
  endpoint: "/chat/completions",
  requestedModel: "openai/gpt-4o-mini",
  model: "openai/gpt-4o-mini",
  provider: "openai",
  attempts: [
    { provider: "openai", model: "gpt-4o-mini", status: 429, errorCode: "rate_limited", latencyMs: 12, retries: 1, startedAt: 1_700_000_000_000 },
    { provider: "azure", model: "gpt-4o-mini", status: 200, errorCode: null, latencyMs: 340, retries: 0, startedAt: 1_700_000_000_020 },
  ],
  usage: { prompt_tokens: 24, completion_tokens: 18, total_tokens: 42, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 3 } },
  costNano: 14_400,
  ttftMs: 180,
  startedAt: 1_700_000_000_000,
  now: 1_700_000_000_400,
  status: 200,
  errorCode: null,
  stream: true,
  user: "user-42",
};

describe("encodeUsageRecord", () => {
  it("writes what JSON.stringify writes for the records buildUsageRecord makes", () => {
    const records: UsageRecord[] = [
      buildUsageRecord(input),
      buildUsageRecord({ ...input, keyId: null, model: null, provider: null, attempts: [], usage: null, ttftMs: null, status: 0, errorCode: "incomplete", stream: false, user: undefined }),
      buildUsageRecord({ ...input, cancelled: true, status: 499, errorCode: "client_closed" }),
    ];
    for (const r of records) expect(encodeUsageRecord(r)).toBe(JSON.stringify(r));
  });

  it("escapes what the caller sent: quotes, backslashes, control characters, lone surrogates, emoji", () => {
    for (const text of ['a "quoted" model', "back\\slash", "tab\tand\nnewline\u0001", "lone \ud800 surrogate", "emoji 🚀", "café ünïcode", ""]) {
      const r = buildUsageRecord({ ...input, requestedModel: text, user: text, attempts: [{ ...input.attempts[0]!, model: text }] });
      const encoded = encodeUsageRecord(r);
      expect(encoded).toBe(JSON.stringify(r));
      expect(JSON.parse(encoded)).toEqual(r);
    }
  });

  it("writes a number JSON cannot hold as null, as JSON.stringify does", () => {
    const r = { ...buildUsageRecord(input), latencyMs: Number.NaN, costNano: Number.POSITIVE_INFINITY };
    expect(encodeUsageRecord(r)).toBe(JSON.stringify(r));
  });

  it("knows every field buildUsageRecord writes (a new field must be added to the encoder too)", () => {
    const r = buildUsageRecord(input);
    expect(Object.keys(JSON.parse(encodeUsageRecord(r)) as object)).toEqual(Object.keys(r));
    expect(Object.keys((JSON.parse(encodeUsageRecord(r)) as UsageRecord).attempts[0]!)).toEqual(Object.keys(r.attempts[0]!));
  });
});
