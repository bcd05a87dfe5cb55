import type { ChatCompletion, TextCompletion } from "../schemas/chat-response.js";
import type { ChunkFormatter } from "./chunk-formatter.js";
import { DONE_FRAME, dataFrame, errorFrame } from "./sse-frames.js";

/** A translated chat answer as a legacy `text_completion`. */
export function chatToTextCompletion(chat: ChatCompletion): TextCompletion {
  return {
    id: chat.id,
    object: "text_completion",
    created: chat.created,
    model: chat.model,
    provider: chat.provider,
    choices: chat.choices.map((c) => ({ index: c.index, text: c.message.content ?? "", finish_reason: c.finish_reason, logprobs: null })),
    usage: chat.usage,
  };
}

/** Chat chunks written as legacy completion chunks. */
export const textCompletionFormatter: ChunkFormatter = {
  chunk(chunk, who) {
    const choices = chunk.choices
      .filter((c) => (c.delta.content ?? "") !== "" || c.finish_reason !== null)
      .map((c) => ({ index: c.index, text: c.delta.content ?? "", finish_reason: c.finish_reason, logprobs: c.logprobs ?? null }));
    if (choices.length === 0) return "";
    return dataFrame({ id: who.id, object: "text_completion", created: who.created, model: who.model, provider: who.provider, choices });
  },
  end(usage, who) {
    return dataFrame({ id: who.id, object: "text_completion", created: who.created, model: who.model, provider: who.provider, choices: [], usage }) + DONE_FRAME;
  },
  fail(error) {
    return errorFrame(error) + DONE_FRAME;
  },
};
