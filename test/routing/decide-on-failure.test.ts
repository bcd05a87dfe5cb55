import { describe, expect, it } from "vitest";
import { GatewayError, type UpstreamFailureKind } from "../../src/errors/gateway-error.js";
import { decideOnFailure } from "../../src/routing/decide-on-failure.js";
import { computeBackoff } from "../../src/routing/compute-backoff.js";
import { classifyUpstreamStatus } from "../../src/providers/shared/classify-upstream-status.js";
import { toUpstreamError } from "../../src/providers/shared/to-upstream-error.js";
import { extractOpenAIError } from "../../src/providers/openai-compatible/extract-openai-error.js";

const upstream = (kind: UpstreamFailureKind, retryAfterMs?: number) =>
  new GatewayError({ status: 502, code: "x", message: "x", upstream: { kind, retryAfterMs } });
const room = { retriesLeft: 1, maxRetryAfterMs: 1000 };
const none = { retriesLeft: 0, maxRetryAfterMs: 1000 };

describe("decideOnFailure (issue 4's table)", () => {
  it.each<[UpstreamFailureKind, string, string]>([
    ["connection", "retry", "next"],
    ["timeout", "retry", "next"],
    ["rate_limited", "retry", "next"],
    ["overloaded", "retry", "next"],
    ["server", "retry", "next"],
    ["bad_response", "retry", "next"],
    ["conflict", "retry", "next"],
    ["model_not_found", "next", "next"],
    ["auth", "next_unhealthy", "next_unhealthy"],
    ["context_length", "next_larger_context", "next_larger_context"],
    ["bad_request", "stop", "stop"],
  ])("%s: %s with retries left, %s without", (kind, withRoom, without) => {
    expect(decideOnFailure(upstream(kind), room)).toBe(withRoom);
    expect(decideOnFailure(upstream(kind), none)).toBe(without);
  });

  it("a Retry-After within the cap is waited for; beyond it the route is left at once", () => {
    expect(decideOnFailure(upstream("rate_limited", 1000), room)).toBe("retry");
    expect(decideOnFailure(upstream("rate_limited", 1001), room)).toBe("next");
  });

  it("anything that is not an upstream failure stops: internal errors, deadline, disconnect", () => {
    expect(decideOnFailure(new Error("bug"), room)).toBe("stop");
    expect(decideOnFailure(new GatewayError({ status: 408, code: "request_timeout", message: "t" }), room)).toBe("stop");
    expect(decideOnFailure(new GatewayError({ status: 499, code: "client_closed", message: "c" }), room)).toBe("stop");
  });
});

describe("classifyUpstreamStatus", () => {
  it.each<[number, string, string, UpstreamFailureKind]>([
    [500, "", "", "server"],
    [502, "", "", "server"],
    [503, "", "", "server"],
    [504, "", "", "server"],
    [529, "", "", "overloaded"],
    [500, "overloaded_error", "Overloaded", "overloaded"],
    [429, "rate_limit_exceeded", "slow down", "rate_limited"],
    [429, "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.", "auth"],
    [429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan.", "rate_limited"],
    [400, "INVALID_ARGUMENT", "The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).", "context_length"],
    [402, "", "Payment required", "auth"],
    [401, "", "", "auth"],
    [403, "", "", "auth"],
    [404, "model_not_found", "The model `x` does not exist", "model_not_found"],
    [400, "", "The model `gpt-9` does not exist", "model_not_found"],
    [400, "context_length_exceeded", "This model's maximum context length is 8192 tokens", "context_length"],
    [400, "", "prompt is too long: 210000 tokens > 200000 maximum", "context_length"],
    [500, "", "input too long for the server buffer", "server"],
    [408, "", "", "timeout"],
    [409, "", "", "conflict"],
    [425, "", "", "conflict"],
    [400, "invalid_request_error", "temperature must be <= 2", "bad_request"],
    [422, "", "messages[0].content is required", "bad_request"],
  ])("%i %s %s -> %s", (status, code, message, kind) => {
    expect(classifyUpstreamStatus(status, code, message)).toBe(kind);
  });

  it("an HTML or empty error body is still classified by its status, and never crashes", () => {
    const e = toUpstreamError("p", 502, {}, "<html>bad gateway</html>", extractOpenAIError, 0);
    expect(e.upstream?.kind).toBe("server");
    expect(e.status).toBe(502);
    expect(e.expose).toBe(false);
    const empty = toUpstreamError("p", 503, { "retry-after": "2" }, "", extractOpenAIError, 0);
    expect(empty.upstream).toMatchObject({ kind: "server", retryAfterMs: 2000 });
  });
});

describe("computeBackoff", () => {
  const opts = { baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
  it("grows exponentially with jitter in [ceiling/2, ceiling], capped", () => {
    expect(computeBackoff(0, undefined, opts, () => 0)).toBe(50);
    expect(computeBackoff(0, undefined, opts, () => 1)).toBe(100);
    expect(computeBackoff(3, undefined, opts, () => 0.5)).toBe(600);
    expect(computeBackoff(10, undefined, opts, () => 1)).toBe(1000);
  });
  it("honours Retry-After up to the cap", () => {
    expect(computeBackoff(0, 1234, opts, () => 0)).toBe(1234);
    expect(computeBackoff(0, 60_000, opts, () => 0)).toBe(5000);
  });
});
