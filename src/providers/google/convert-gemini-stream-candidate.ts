import type { ChunkDelta, ReasoningDetail, ToolCallDelta } from "../../schemas/chat-response.js";
import { applyPartialArgs } from "./apply-partial-args.js";
import { closeOpenCall } from "./close-open-call.js";
import type { CandidateStreamState } from "./create-candidate-stream-state.js";
import { createToolCallId } from "./create-tool-call-id.js";
import { GEMINI_SIGNATURE_FORMAT, type GeminiCandidate, type GeminiFunctionCall } from "./gemini-types.js";
import { pushToolCallDelta } from "./push-tool-call-delta.js";

/**
 * One streamed candidate -> one OpenAI delta (undefined when it adds
 * nothing). A function call that arrives whole gets its index, id, name and
 * full `arguments` in one delta; each parallel call takes the next index
 * (never collapsed onto 0: Arize-ai/phoenix PR #11376). A call whose
 * arguments Vertex streams (`willContinue` + `partialArgs`) sends index, id
 * and name at once and its arguments, assembled, when it closes, so the
 * concatenated arguments are always valid JSON ("{}" for none).
 */
export function convertGeminiStreamCandidate(state: CandidateStreamState, candidate: GeminiCandidate, responseId: string): ChunkDelta | undefined {
  let content = "";
  let reasoning = "";
  const toolCalls: ToolCallDelta[] = [];
  const details: ReasoningDetail[] = [];
  for (const part of candidate.content?.parts ?? []) {
    const partIndex = state.partCount++;
    const id = part.functionCall ? applyFunctionCall(state, part.functionCall, toolCalls, responseId) : undefined;
    if (!part.functionCall && typeof part.text === "string") {
      if (part.thought === true) reasoning += part.text;
      else content += part.text;
    }
    if (part.thoughtSignature !== undefined) {
      details.push({ type: "reasoning.encrypted", data: part.thoughtSignature, format: GEMINI_SIGNATURE_FORMAT, ...(id !== undefined ? { id } : { index: partIndex }) });
    }
  }
  if (candidate.finishReason !== undefined) {
    state.finishReason = candidate.finishReason;
    closeOpenCall(state, toolCalls);
  }
  const delta: ChunkDelta = {};
  if (content !== "") delta.content = content;
  if (reasoning !== "") delta.reasoning = reasoning;
  if (toolCalls.length > 0) delta.tool_calls = toolCalls;
  if (details.length > 0) delta.reasoning_details = details;
  if (Object.keys(delta).length === 0) return undefined;
  if (!state.started) {
    state.started = true;
    return { role: "assistant", ...delta };
  }
  return delta;
}

/** Applies one functionCall part; returns the id of the call it belongs to. */
function applyFunctionCall(state: CandidateStreamState, call: GeminiFunctionCall, out: ToolCallDelta[], responseId: string): string | undefined {
  if (call.name === undefined) {
    // A continuation of the open call: more partialArgs, or `{}` closing it.
    const open = state.open;
    if (open === undefined) return undefined;
    if (call.args) Object.assign(open.args, call.args);
    if (call.partialArgs) applyPartialArgs(open.args, call.partialArgs, open.continuing);
    if (call.willContinue !== true) closeOpenCall(state, out);
    return open.id;
  }
  closeOpenCall(state, out);
  const index = state.callCount++;
  const id = call.id ?? createToolCallId(responseId, state.index, index);
  const args: Record<string, unknown> = { ...(call.args ?? {}) };
  const continuing = new Set<string>();
  if (call.partialArgs) applyPartialArgs(args, call.partialArgs, continuing);
  if (call.willContinue === true) {
    state.open = { index, id, args, continuing };
    pushToolCallDelta(out, { index, id, type: "function", function: { name: call.name, arguments: "" } });
  } else {
    pushToolCallDelta(out, { index, id, type: "function", function: { name: call.name, arguments: JSON.stringify(args) } });
  }
  return id;
}
