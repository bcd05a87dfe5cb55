import type { ChunkFormatter, StreamIdentity } from "../core/chunk-formatter.js";
import { eventFrame } from "./event-frame.js";
import { formatChunkAsEvents } from "./format-chunk-as-events.js";
import { mapFinishToStopReason } from "./map-finish-to-stop-reason.js";
import { closeBlock, createStreamState, type MessagesStreamState } from "./messages-stream-state.js";
import { readNativeEvent } from "./read-native-event.js";
import { toAnthropicError } from "./to-anthropic-error.js";
import { toAnthropicUsage } from "./to-anthropic-usage.js";

function start(s: MessagesStreamState, who: StreamIdentity): string {
  s.started = true;
  const message = { id: who.id, type: "message", role: "assistant", model: who.model, content: [], stop_reason: null, stop_sequence: null, usage: toAnthropicUsage(null) };
  return eventFrame({ type: "message_start", message } as { type: string }) + eventFrame({ type: "ping" });
}

/**
 * The chat chunk stream written as Anthropic's event sequence: message_start
 * and ping, content blocks, message_delta with stop_reason and usage, then
 * message_stop. Chunks that carry a native Anthropic event (an Anthropic
 * route fed the original body) are written as they came, with only the
 * message id and model replaced. Stateful: one formatter per stream.
 */
export function createMessagesFormatter(): ChunkFormatter {
  const s = createStreamState();
  let native = false;
  return {
    chunk(chunk, who) {
      const event = readNativeEvent(chunk);
      if (event) {
        native = true;
        if (event.type === "message_start") event.message = { ...(event.message as object), id: who.id, model: who.model };
        return eventFrame(event);
      }
      let out = s.started ? "" : start(s, who);
      for (const choice of chunk.choices) {
        if (choice.index !== 0) continue;
        out += formatChunkAsEvents(s, choice.delta);
        if (choice.finish_reason) s.stopReason = mapFinishToStopReason(choice.finish_reason);
      }
      return out;
    },
    end(usage, who) {
      if (native) return "";
      const out = (s.started ? "" : start(s, who)) + closeBlock(s);
      const delta = { type: "message_delta", delta: { stop_reason: s.stopReason ?? "end_turn", stop_sequence: null }, usage: toAnthropicUsage(usage) };
      return out + eventFrame(delta as { type: string }) + eventFrame({ type: "message_stop" });
    },
    fail(error) {
      // A failure after the stream started is an `error` event, which the SDKs raise (never a silent clean end).
      return eventFrame(toAnthropicError(error).body);
    },
  };
}
