import { GatewayError } from "../../errors/gateway-error.js";
import type { UpstreamResponse } from "../../http/transport.js";

/** A 2xx body parsed at the boundary: anything but a JSON object is a clean, retryable 502 (DESIGN convention 5). */
export async function readGeminiJson<T>(provider: string, response: UpstreamResponse): Promise<T> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError({ status: 502, code: "upstream_bad_response", message: `Upstream ${provider} sent a body that is not JSON`, isRetryable: true, upstream: { kind: "bad_response", status: response.status, provider } });
  }
  return parsed as T;
}
