import { RAW_DELTA } from "../schemas/chat-response.js";
import { quoteJsonString } from "./quote-json-string.js";
import type { ChunkFormatter, StreamIdentity } from "./chunk-formatter.js";
import { DONE_FRAME, dataFrame, errorFrame } from "./sse-frames.js";

/** The fixed parts of a stream's frames, serialised once per stream: before `created`, and after it up to `"choices":`. */
interface Framing {
  head: string;
  middle: string;
}
const framing = new WeakMap<StreamIdentity, Framing>();
const framingOf = (who: StreamIdentity): Framing => {
  let parts = framing.get(who);
  if (!parts) {
    parts = {
      head: `data: {"id":${quoteJsonString(who.id)},"object":"chat.completion.chunk","created":`,
      middle: `,"model":${quoteJsonString(who.model)},"provider":${quoteJsonString(who.provider)},"choices":`,
    };
    framing.set(who, parts);
  }
  return parts;
};
const OPEN_DELTA = `[{"index":0,"delta":{`;
const NO_FINISH = `},"finish_reason":null}]}\n\n`;

/** The usage chunk before `[DONE]`: what it says, in the same shape as the other frames. */
function usageFrame(usage: unknown, who: StreamIdentity): string {
  const parts = framingOf(who);
  return `${parts.head}${who.created}${parts.middle}[],"usage":${JSON.stringify(usage)}}\n\n`;
}

/**
 * Chat chunks as OpenAI sends them, with the generation id and the serving
 * model; usage once, on a last `choices: []` chunk before `[DONE]`,
 * whatever `stream_options` said (LiteLLM #11915).
 */
export const openaiChunkFormatter: ChunkFormatter = {
  chunk(chunk, who) {
    const raw = chunk[RAW_DELTA];
    if (raw !== undefined) {
      // A common chunk: written from the upstream's own delta text, no parse/stringify round trip.
      const parts = framingOf(who);
      const finish = chunk.choices[0]!.finish_reason;
      // The finish reasons readCommonChunk accepts are plain words: quoted as they are.
      return parts.head + chunk.created + parts.middle + OPEN_DELTA + raw + (finish === null ? NO_FINISH : `},"finish_reason":"${finish}"}]}\n\n`);
    }
    chunk.id = who.id;
    chunk.model = who.model;
    chunk.provider = who.provider;
    return dataFrame(chunk);
  },
  end(usage, who) {
    return usageFrame(usage, who) + DONE_FRAME;
  },
  fail(error, usage, who) {
    return (usage && who ? usageFrame(usage, who) : "") + errorFrame(error) + DONE_FRAME;
  },
};
