import { RAW_DELTA, type ChatCompletionChunk, type ChunkChoice } from "../../schemas/chat-response.js";

/**
 * The common stream chunks, one choice in the field order OpenAI (and most
 * compatibles) send: a text delta, the opening role delta, or an empty
 * delta (the finish chunk), each with or without a standard finish reason.
 * Anything else (tool calls, reasoning, refusals, logprobs, usage, a
 * second choice, vendor extras) does not match and takes the full parse
 * and normalisation. Groups: 1 created, 2 the delta's fields as sent, 3
 * the escaped text of a text delta, 4 a role delta, 5 the finish reason.
 */
const COMMON =
  /^\{"id":"[^"\\]*","object":"chat\.completion\.chunk","created":(\d+),"model":"[^"\\]*",(?:"service_tier":"[a-z]+",)?(?:"system_fingerprint":"[^"\\]*",)?"choices":\[\{"index":0,"delta":\{((?:"content":"((?:[^"\\]|\\.)*)")|("role":"assistant","content":""(?:,"refusal":null)?)|)\},(?:"logprobs":null,)?"finish_reason":(?:null|"(stop|length|tool_calls|content_filter)")\}\](?:,"usage":null)?(?:,"obfuscation":"[^"\\]*")?\}$/;

/**
 * The last `created` read, as text and as a number. Every chunk of a stream
 * carries the same one, and a ten-digit number string is converted by the
 * engine's runtime (Number() on it cost about 400 instructions, on every
 * chunk): a comparison of the text is much cheaper.
 */
let createdText = "";
let createdValue = 0;

/**
 * Reads a common chunk without JSON.parse, keeping the delta's fields as
 * the upstream wrote them for the formatter (RAW_DELTA); undefined when
 * the payload has any other shape. Per-event parse and stringify were the
 * largest costs of a stream.
 */
export function readCommonChunk(data: string): ChatCompletionChunk | undefined {
  const m = COMMON.exec(data);
  if (!m) return undefined;
  const raw = m[3];
  if (m[1] !== createdText) {
    createdText = m[1]!;
    createdValue = Number(createdText);
  }
  let delta: ChunkChoice["delta"];
  if (raw !== undefined) delta = { content: raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw };
  else if (m[4] !== undefined) delta = { role: "assistant", content: "" };
  else delta = {};
  // The upstream's id and model are not kept: every formatter writes the gateway's own (StreamIdentity).
  return {
    id: "",
    object: "chat.completion.chunk",
    created: createdValue,
    model: "",
    choices: [{ index: 0, delta, finish_reason: (m[5] as ChunkChoice["finish_reason"] | undefined) ?? null }],
    [RAW_DELTA]: m[2]!,
  };
}
