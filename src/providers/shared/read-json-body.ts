import { GatewayError } from "../../errors/gateway-error.js";
import type { UpstreamResponse } from "../../http/transport.js";

/**
 * Reads a 2xx upstream body as a JSON object, parsed at the boundary: a body
 * that is not JSON, not an object, or fails the caller's shape check is a
 * clean, retryable 502, never a crash later on (DESIGN convention 5).
 */
export async function readJsonBody<T>(res: UpstreamResponse, provider: string, isShaped: (value: Record<string, unknown>) => boolean = () => true): Promise<T> {
  const text = await res.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && isShaped(value as Record<string, unknown>)) return value as T;
  throw new GatewayError({
    status: 502,
    code: "upstream_bad_response",
    message: `Upstream ${provider} sent a body that is not the expected JSON`,
    isRetryable: true,
    upstream: { kind: "bad_response", status: res.status, provider },
  });
}
