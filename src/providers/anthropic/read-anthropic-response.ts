import type { UpstreamResponse } from "../../http/transport.js";
import { readJsonBody } from "../shared/read-json-body.js";
import type { AnthropicResponse } from "./anthropic-types.js";

/** A message has an id and a content array; anything else is a clean 502. */
export const isAnthropicMessage = (m: Record<string, unknown>) => Array.isArray(m.content) && typeof m.id === "string";

/** Reads and checks a 2xx Messages body at the boundary. */
export async function readAnthropicResponse(provider: string, res: UpstreamResponse): Promise<AnthropicResponse> {
  const message = await readJsonBody<Partial<AnthropicResponse>>(res, provider, isAnthropicMessage);
  return { ...message, model: typeof message.model === "string" ? message.model : "", usage: message.usage ?? {} } as AnthropicResponse;
}
