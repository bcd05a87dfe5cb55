/**
 * Gemini often omits `functionCall.id` (it is optional: discovery doc,
 * `FunctionCall`), and OpenAI clients need one to answer the call. The id is
 * derived from the response id, candidate and call position, so the
 * streamed and non-streamed forms of one answer agree, and it is sent back
 * as `functionCall.id` / `functionResponse.id` on the next turn (the name is
 * recovered from the assistant message that carries it).
 */
export function createToolCallId(responseId: string, candidateIndex: number, callIndex: number): string {
  const safe = responseId.replace(/[^A-Za-z0-9_-]/g, "_");
  return `call_${safe}_${candidateIndex}_${callIndex}`;
}
