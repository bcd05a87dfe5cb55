import type { GatewayRequest } from "../core/gateway-types.js";
import { invalidRequest } from "../errors/errors.js";
import type { NativeKind } from "./native-types.js";
import { asBuffer } from "../core/as-buffer.js";
import { parseJsonText } from "../core/parse-json-text.js";

export interface NativeBody {
  /** The bytes to forward (re-serialised only when the host had parsed them, or usage was asked for). */
  bytes: Buffer | undefined;
  json: Record<string, unknown> | undefined;
}

/**
 * The request body for forwarding and for reading the model and limits.
 * An OpenAI-compatible stream gets `stream_options.include_usage` when the
 * caller did not set it: without it the upstream reports no usage at all
 * (LiteLLM #11915), and the only change the caller sees is a last chunk
 * with empty `choices`, which OpenAI clients expect.
 */
export function readNativeBody(req: GatewayRequest, kind: NativeKind): NativeBody {
  const b = req.body;
  if (b === undefined || b === null || (typeof b === "string" && b === "")) return { bytes: undefined, json: undefined };
  let bytes = typeof b === "string" ? Buffer.from(b, "utf8") : b instanceof Uint8Array ? asBuffer(b) : Buffer.from(JSON.stringify(b), "utf8");
  const json: unknown = typeof b === "object" && !(b instanceof Uint8Array) ? b : parseJsonText(bytes.toString("utf8"));
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw invalidRequest("The request body must be a JSON object");
  const obj = json as Record<string, unknown>;
  const options = obj.stream_options as { include_usage?: boolean } | undefined;
  if (kind === "openai" && obj.stream === true && options?.include_usage === undefined) {
    obj.stream_options = { ...options, include_usage: true };
    bytes = Buffer.from(JSON.stringify(obj), "utf8");
  }
  return { bytes, json: obj };
}
