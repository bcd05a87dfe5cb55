import { RAW_CONTENT } from "../schemas/chat-response.js";
import type { ChunkFormatter, StreamIdentity } from "./chunk-formatter.js";
import { DONE_FRAME, dataFrame, errorFrame } from "./sse-frames.js";

/**
 * Chat chunks as OpenAI sends them, with the generation id and the serving
 * model; usage once, on a last `choices: []` chunk before `[DONE]`,
 * whatever `stream_options` said (LiteLLM #11915).
 */
/** The fixed parts of a stream's content-only frames, serialised once per stream. */
const framing = new WeakMap<StreamIdentity, { head: string; middle: string }>();
const CONTENT_TAIL = `"},"finish_reason":null}]}\n\n`;

export const openaiChunkFormatter: ChunkFormatter = {
  chunk(chunk, who) {
    const raw = chunk[RAW_CONTENT];
    if (raw !== undefined) {
      // Content-only chunk: written from the upstream's escaped text, no parse/stringify round trip.
      let parts = framing.get(who);
      if (!parts) {
        parts = {
          head: `data: {"id":${JSON.stringify(who.id)},"object":"chat.completion.chunk","created":`,
          middle: `,"model":${JSON.stringify(who.model)},"provider":${JSON.stringify(who.provider)},"choices":[{"index":0,"delta":{"content":"`,
        };
        framing.set(who, parts);
      }
      return parts.head + chunk.created + parts.middle + raw + CONTENT_TAIL;
    }
    chunk.id = who.id;
    chunk.model = who.model;
    chunk.provider = who.provider;
    return dataFrame(chunk);
  },
  end(usage, who) {
    return dataFrame({ id: who.id, object: "chat.completion.chunk", created: who.created, model: who.model, provider: who.provider, choices: [], usage }) + DONE_FRAME;
  },
  fail(error, usage, who) {
    const usageFrame = usage && who ? dataFrame({ id: who.id, object: "chat.completion.chunk", created: who.created, model: who.model, provider: who.provider, choices: [], usage }) : "";
    return usageFrame + errorFrame(error) + DONE_FRAME;
  },
};
