import type { AnthropicMessage, AnthropicRequestBlock } from "./anthropic-types.js";

type Warn = (param: string, reason: string) => void;

/**
 * Anthropic refuses a history where a `tool_use` lacks a `tool_result` in the
 * very next user turn, or a `tool_result` names no `tool_use` of the turn
 * before ("tool_use ids were found without tool_result blocks immediately
 * after"; Chainlit #2662, trycua/cua #524). Rather than fail the whole call,
 * a missing result becomes an error result and an orphan result becomes
 * text, both reported.
 */
export function pairAnthropicToolResults(turns: AnthropicMessage[], warn: Warn): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  let pending: string[] = [];
  for (const turn of turns) {
    if (turn.role === "assistant") {
      if (pending.length > 0) out.push(missingResults(pending, warn));
      pending = turn.content.flatMap((b) => (b.type === "tool_use" ? [b.id] : []));
      out.push(turn);
      continue;
    }
    out.push({ role: "user", content: pairTurn(turn.content, pending, warn) });
    pending = [];
  }
  if (pending.length > 0) out.push(missingResults(pending, warn));
  return out;
}

function pairTurn(content: AnthropicRequestBlock[], pending: string[], warn: Warn): AnthropicRequestBlock[] {
  const expected = new Set(pending);
  const results: AnthropicRequestBlock[] = [];
  const rest: AnthropicRequestBlock[] = [];
  for (const block of content) {
    if (block.type !== "tool_result") {
      rest.push(block);
    } else if (expected.delete(block.tool_use_id)) {
      results.push(block);
    } else {
      warn("messages", `tool result ${block.tool_use_id} answers no tool call of the previous assistant message; sent as text`);
      rest.push({ type: "text", text: `Result of tool call ${block.tool_use_id}: ${resultText(block.content)}` });
    }
  }
  const missing = [...expected].map(errorResult);
  if (missing.length > 0) warn("messages", `tool calls ${[...expected].join(", ")} have no tool message; sent as error results`);
  return [...results, ...missing, ...rest];
}

function missingResults(ids: string[], warn: Warn): AnthropicMessage {
  warn("messages", `tool calls ${ids.join(", ")} have no tool message; sent as error results`);
  return { role: "user", content: ids.map(errorResult) };
}

function errorResult(id: string): AnthropicRequestBlock {
  return { type: "tool_result", tool_use_id: id, content: "No result was provided for this tool call.", is_error: true };
}

function resultText(content: string | Array<{ type: string; text?: string }>): string {
  if (typeof content === "string") return content;
  return content.map((b) => (b.type === "text" ? (b.text ?? "") : `[${b.type}]`)).join("\n");
}
