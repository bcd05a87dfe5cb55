import { toErrorBody } from "../errors/to-error-response.js";

export const DONE_FRAME = "data: [DONE]\n\n";
export const KEEP_ALIVE_FRAME = ": keep-alive\n\n";

export function dataFrame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** A mid-stream failure: the error body as its own event, so clients raise it (vercel/ai #2698). */
export function errorFrame(error: unknown): string {
  return dataFrame(toErrorBody(error).body);
}
