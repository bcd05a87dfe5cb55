import type { ToolCallDelta } from "../../schemas/chat-response.js";

/** Adds a tool-call delta; two for one call in one event are merged, so a chunk never lists an index twice. */
export function pushToolCallDelta(out: ToolCallDelta[], delta: ToolCallDelta): void {
  const same = out.find((d) => d.index === delta.index);
  if (same === undefined) {
    out.push(delta);
    return;
  }
  same.function = { ...same.function, arguments: (same.function?.arguments ?? "") + (delta.function?.arguments ?? "") };
}
