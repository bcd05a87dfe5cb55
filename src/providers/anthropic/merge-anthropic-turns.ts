import type { AnthropicMessage } from "./anthropic-types.js";

/**
 * Merges consecutive turns of the same role, since Anthropic requires user
 * and assistant turns to alternate; this is also what groups the results of
 * parallel tool calls (several `tool` messages) into one user turn. Within a
 * user turn, `tool_result` blocks are moved first: "tool result blocks must
 * come first in the content array" (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use).
 * Empty turns are skipped (Anthropic rejects empty content).
 */
export function mergeAnthropicTurns(turns: AnthropicMessage[]): AnthropicMessage[] {
  const merged: AnthropicMessage[] = [];
  for (const turn of turns) {
    if (turn.content.length === 0) continue;
    const last = merged[merged.length - 1];
    if (last && last.role === turn.role) last.content = [...last.content, ...turn.content];
    else merged.push({ role: turn.role, content: [...turn.content] });
  }
  for (const turn of merged) {
    if (turn.role !== "user") continue;
    const results = turn.content.filter((b) => b.type === "tool_result");
    if (results.length > 0) turn.content = [...results, ...turn.content.filter((b) => b.type !== "tool_result")];
  }
  return merged;
}
