import { isAnthropicMessage } from "../providers/anthropic/read-anthropic-response.js";
import { readJsonBody } from "../providers/shared/read-json-body.js";
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
export function readNativeMessage(provider: string, res: UpstreamResponse): Promise<NativeMessage> {
  return readJsonBody<NativeMessage>(res, provider, isAnthropicMessage);
}
