import { asBuffer } from "../core/as-buffer.js";
import { parseJsonText } from "../core/parse-json-text.js";

/** An admin request body: already parsed by the host, or raw JSON text/bytes; empty means {}. */
export function readJsonBody(body: unknown): unknown {
  if (body === undefined || body === null) return {};
  const text = typeof body === "string" ? body : body instanceof Uint8Array ? asBuffer(body).toString("utf8") : undefined;
  if (text === undefined) return body;
  if (text.trim() === "") return {};
  return parseJsonText(text);
}
