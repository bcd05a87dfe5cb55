import { describe, expect, it } from "vitest";
import { toUpstreamError } from "../../src/providers/shared/to-upstream-error.js";
import { extractOpenAIError } from "../../src/providers/openai-compatible/extract-openai-error.js";
import { toErrorBody } from "../../src/errors/to-error-response.js";

describe("upstream 409/425 after every retry", () => {
  it.each([409, 425])("%i answers the caller 409 conflict, retryable, in the error shape", (status) => {
    const err = toUpstreamError("up", status, {}, JSON.stringify({ error: { message: "busy" } }), extractOpenAIError, 0);
    expect(err.isRetryable).toBe(true);
    expect(err.upstream?.kind).toBe("conflict");
    const { status: wire, body } = toErrorBody(err);
    expect(wire).toBe(409);
    expect(body.error).toMatchObject({ code: "conflict", type: "conflict_error", param: null });
  });
});
