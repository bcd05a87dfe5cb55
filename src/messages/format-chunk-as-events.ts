import type { ChunkDelta } from "../schemas/chat-response.js";
import { blockDelta, openBlock, type MessagesStreamState } from "./messages-stream-state.js";

/**
 * One chat delta as Anthropic content-block events
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming):
 * reasoning -> a thinking block (thinking_delta, then signature_delta),
 * content -> a text block (text_delta), each new tool call -> a tool_use
 * block whose arguments stream as input_json_delta. OpenAI-format upstreams
 * stream parallel tool calls one after another, so a tool block is closed
 * when the next call starts.
 */
export function formatChunkAsEvents(s: MessagesStreamState, delta: ChunkDelta): string {
  let out = "";
  const details = delta.reasoning_details ?? [];
  for (const d of details) {
    const detail = typeof d.index === "number" ? d.index : 0;
    if (d.type === "reasoning.encrypted") {
      out += openBlock(s, { kind: "thinking", detail: -1 }, { type: "redacted_thinking", data: d.data ?? "" });
      continue;
    }
    if (s.open?.kind !== "thinking" || s.open.detail !== detail) out += openBlock(s, { kind: "thinking", detail }, { type: "thinking", thinking: "", signature: "" });
    if (d.text) out += blockDelta(s, { type: "thinking_delta", thinking: d.text });
    if (d.signature) out += blockDelta(s, { type: "signature_delta", signature: d.signature });
  }
  if (details.length === 0 && delta.reasoning) {
    if (s.open?.kind !== "thinking") out += openBlock(s, { kind: "thinking", detail: 0 }, { type: "thinking", thinking: "", signature: "" });
    out += blockDelta(s, { type: "thinking_delta", thinking: delta.reasoning });
  }
  if (delta.content) {
    if (s.open?.kind !== "text") out += openBlock(s, { kind: "text" }, { type: "text", text: "" });
    out += blockDelta(s, { type: "text_delta", text: delta.content });
  }
  for (const call of delta.tool_calls ?? []) {
    const current = s.open?.kind === "tool" && s.open.tool === call.index;
    if (!current) {
      out += openBlock(s, { kind: "tool", tool: call.index }, { type: "tool_use", id: call.id ?? `toolu_${s.next}`, name: call.function?.name ?? "", input: {} });
    }
    const args = call.function?.arguments;
    if (args) out += blockDelta(s, { type: "input_json_delta", partial_json: args });
  }
  return out;
}
