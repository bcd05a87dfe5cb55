import { GatewayError } from "../../errors/gateway-error.js";
import type { UpstreamResponse } from "../../http/transport.js";

/** Reads a 2xx upstream body as JSON; a body that is not JSON is a clean 502, not a crash. */
export async function readJsonBody<T>(res: UpstreamResponse, provider: string): Promise<T> {
  const text = await res.text();
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== "object") throw new Error("not an object");
    return value as T;
  } catch (cause) {
    throw new GatewayError({
      status: 502,
      code: "upstream_bad_response",
      message: `Upstream ${provider} sent a body that is not JSON`,
      cause,
      isRetryable: true,
      upstream: { kind: "bad_response", status: res.status, provider },
    });
  }
}
