import type { ResponseMessage, ToolCall } from "../../schemas/chat-response.js";

type Part = { type?: string; text?: string; thinking?: Part[] | string };

/** Mistral (Magistral) sends content as an array of text and thinking parts. */
export function splitContentParts(content: unknown): { text: string | null; reasoning: string | null } {
  if (typeof content === "string" || content === null || content === undefined) return { text: (content as string | null) ?? null, reasoning: null };
  if (!Array.isArray(content)) return { text: null, reasoning: null };
  let text = "";
  let reasoning = "";
  for (const part of content as Part[]) {
    if (part.type === "thinking") {
      const inner = part.thinking;
      reasoning += typeof inner === "string" ? inner : (inner ?? []).map((p) => p.text ?? "").join("");
    } else if (typeof part.text === "string") {
      text += part.text;
    }
  }
  return { text, reasoning: reasoning || null };
}

/**
 * One OpenAI-compatible response message in our shape: reasoning from
 * `reasoning_content` (DeepSeek, xAI) or `reasoning` (Groq), a missing
 * `content` key (Groq tool calls) as null, `refusal` always present.
 */
export function normalizeOpenAIMessage(raw: Record<string, unknown> | undefined): ResponseMessage {
  const m = raw ?? {};
  const { text, reasoning: partReasoning } = splitContentParts(m.content);
  const reasoning = (m.reasoning_content as string | undefined) ?? (m.reasoning as string | undefined) ?? partReasoning;
  const out: ResponseMessage = { ...m, role: "assistant", content: text, refusal: (m.refusal as string | null | undefined) ?? null };
  delete out.reasoning_content;
  if (reasoning) out.reasoning = reasoning;
  else delete out.reasoning;
  const calls = m.tool_calls as Array<ToolCall & { index?: number }> | undefined;
  if (Array.isArray(calls) && calls.length > 0) {
    // DeepSeek puts an `index` on non-streamed calls; the spec has none.
    out.tool_calls = calls.map(({ index: _index, ...call }) => ({
      ...call,
      type: "function",
      function: { name: call.function?.name ?? "", arguments: call.function?.arguments || "{}" },
    }));
  } else {
    delete out.tool_calls;
  }
  return out;
}
