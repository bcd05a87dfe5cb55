import type { ChatMessage } from "../../schemas/chat-request-schema.js";
import { GEMINI_SIGNATURE_FORMAT, type GeminiPart } from "./gemini-types.js";
import type { GeminiConvertOptions } from "./remote-media.js";

type AssistantMessage = Extract<ChatMessage, { role: "assistant" }>;

/**
 * Google's documented placeholder for a function call that has no real
 * signature (history written by another model or by the caller): Gemini 3
 * rejects such calls with a 400 otherwise
 * (https://ai.google.dev/gemini-api/docs/thought-signatures#faqs).
 */
const SKIP_SIGNATURE = "skip_thought_signature_validator";

/**
 * An assistant message -> `model` parts: its text, then one `functionCall`
 * per tool call (id kept). Thought signatures come back from
 * `reasoning_details` (format google-gemini-v1) and are put on the part they
 * came from: a call's signature on that call (matched by id), any other on
 * the first text part, as Gemini requires them returned in place
 * (https://ai.google.dev/gemini-api/docs/thought-signatures). The
 * `reasoning` text (thought summaries) is not sent back: Gemini reads the
 * signatures, not the summaries.
 */
export function convertAssistantMessage(message: AssistantMessage, param: string, options: GeminiConvertOptions): GeminiPart[] {
  const { byId, loose } = collectSignatures(message);
  const parts: GeminiPart[] = [];
  const text = assistantText(message);
  if (text !== "") parts.push({ text });
  message.tool_calls?.forEach((call, i) => {
    const part: GeminiPart = { functionCall: { id: call.id, name: call.function.name, args: parseArguments(call.function.arguments, `${param}.tool_calls[${i}]`, options) } };
    const signature = byId.get(call.id);
    if (signature !== undefined) part.thoughtSignature = signature;
    parts.push(part);
  });
  const target = parts.find((p) => p.text !== undefined) ?? parts[0];
  if (loose[0] !== undefined && target !== undefined && target.thoughtSignature === undefined) target.thoughtSignature = loose[0];
  addMissingSignature(parts, param, options);
  return parts;
}

function assistantText(message: AssistantMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p) => (p.type === "text" ? p.text : p.refusal)).join("");
}

function collectSignatures(message: AssistantMessage): { byId: Map<string, string>; loose: string[] } {
  const byId = new Map<string, string>();
  const loose: string[] = [];
  for (const detail of message.reasoning_details ?? []) {
    if (detail.format !== GEMINI_SIGNATURE_FORMAT || typeof detail.data !== "string") continue;
    if (typeof detail.id === "string" && message.tool_calls?.some((c) => c.id === detail.id)) byId.set(detail.id, detail.data);
    else loose.push(detail.data);
  }
  return { byId, loose };
}

/** Gemini's `args` is a JSON object; unparseable arguments are reported and sent as {}. */
function parseArguments(text: string, param: string, options: GeminiConvertOptions): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  options.warn("messages", `${param}.function.arguments is not a JSON object; sent to Gemini as {}`);
  return {};
}

/** Gemini 3 only: a replayed step whose calls carry no signature gets the documented placeholder on its first call. */
function addMissingSignature(parts: GeminiPart[], param: string, options: GeminiConvertOptions): void {
  if (!/^(models\/)?gemini-3/i.test(options.model)) return;
  const calls = parts.filter((p) => p.functionCall !== undefined);
  if (calls.length === 0 || calls.some((p) => p.thoughtSignature !== undefined)) return;
  calls[0]!.thoughtSignature = SKIP_SIGNATURE;
  options.warn("messages", `${param}: tool calls without a Gemini thought signature; sent with Google's skip_thought_signature_validator placeholder`);
}
