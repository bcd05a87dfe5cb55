import type { StreamItem } from "../providers/provider.js";
import type { ChatCompletionChunk, TextCompletion } from "../schemas/chat-response.js";

function asChat(c: TextCompletion): ChatCompletionChunk {
  return {
    id: c.id,
    object: "chat.completion.chunk",
    created: c.created,
    model: c.model,
    choices: (c.choices ?? []).map((ch) => ({ index: ch.index, delta: { content: ch.text }, finish_reason: ch.finish_reason ?? null, logprobs: ch.logprobs ?? null })),
    usage: c.usage ?? null,
  };
}

/** Native legacy completion chunks in the chat-chunk shape the stream pipeline carries (text as content). */
export async function* textChunksAsChat(chunks: AsyncIterable<StreamItem<TextCompletion>>): AsyncGenerator<StreamItem<ChatCompletionChunk>> {
  for await (const item of chunks) yield Array.isArray(item) ? item.map(asChat) : asChat(item);
}
