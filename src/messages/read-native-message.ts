import { GatewayError } from "../errors/gateway-error.js";
import type { UpstreamResponse } from "../http/transport.js";

/** A native Anthropic message as read at the boundary: only what the gateway relies on is checked. */
export interface NativeMessage {
  id: string;
  content: Array<{ type: string; text?: unknown }>;
  stop_reason?: string | null;
  usage?: Record<string, unknown>;
  [extra: string]: unknown;
}

/** Reads a 2xx Messages body; anything that is not a message is a clean, retryable 502 (DESIGN convention 5). */
export async function readNativeMessage(provider: string, res: UpstreamResponse): Promise<NativeMessage> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const m = json as Partial<NativeMessage> | undefined;
  if (m && typeof m === "object" && typeof m.id === "string" && Array.isArray(m.content)) return m as NativeMessage;
  throw new GatewayError({ status: 502, code: "upstream_bad_response", message: `Upstream ${provider} sent an unreadable message`, isRetryable: true, upstream: { kind: "bad_response", provider } });
}
