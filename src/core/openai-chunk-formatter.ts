import { RAW_CONTENT } from "../schemas/chat-response.js";
import type { ChunkFormatter } from "./chunk-formatter.js";
import { DONE_FRAME, dataFrame, errorFrame } from "./sse-frames.js";

/**
 * Chat chunks as OpenAI sends them, with the generation id and the serving
 * model; usage once, on a last `choices: []` chunk before `[DONE]`,
 * whatever `stream_options` said (LiteLLM #11915).
 */
export const openaiChunkFormatter: ChunkFormatter = {
  chunk(chunk, who) {
    const raw = chunk[RAW_CONTENT];
    if (raw !== undefined) {
      // Content-only chunk: written from the upstream's escaped text, no parse/stringify round trip.
      return `data: {"id":${JSON.stringify(who.id)},"object":"chat.completion.chunk","created":${chunk.created},"model":${JSON.stringify(who.model)},"provider":${JSON.stringify(who.provider)},"choices":[{"index":0,"delta":{"content":"${raw}"},"finish_reason":null}]}\n\n`;
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
