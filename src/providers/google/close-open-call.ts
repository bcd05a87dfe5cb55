import type { ToolCallDelta } from "../../schemas/chat-response.js";
import type { CandidateStreamState } from "./create-candidate-stream-state.js";
import { pushToolCallDelta } from "./push-tool-call-delta.js";

/** Sends the assembled arguments of the call Vertex was streaming, if any, as one JSON string. */
export function closeOpenCall(state: CandidateStreamState, out: ToolCallDelta[]): void {
  const open = state.open;
  if (open === undefined) return;
  state.open = undefined;
  pushToolCallDelta(out, { index: open.index, function: { arguments: JSON.stringify(open.args) } });
}
