import { RAW_CONTENT, type ChatCompletionChunk } from "../../schemas/chat-response.js";

/**
 * The common stream chunk, one text delta and nothing else, in the field
 * order OpenAI (and most compatibles) send. Anything else (role, tool
 * calls, reasoning, finish, usage, vendor extras) does not match and takes
 * the full parse and normalisation.
 */
const CONTENT_ONLY =
  /^\{"id":"[^"\\]*","object":"chat\.completion\.chunk","created":(\d+),"model":"[^"\\]*",(?:"service_tier":"[a-z]+",)?(?:"system_fingerprint":"[^"\\]*",)?"choices":\[\{"index":0,"delta":\{"content":"((?:[^"\\]|\\.)*)"\},(?:"logprobs":null,)?"finish_reason":null\}\](?:,"usage":null)?(?:,"obfuscation":"[^"\\]*")?\}$/;

/**
 * Reads a content-only chunk without JSON.parse, keeping the escaped text
 * for the formatter (RAW_CONTENT); undefined when the payload has any other
 * shape. Per-event parse and stringify were the largest costs of a stream.
 */
export function readContentChunk(data: string): ChatCompletionChunk | undefined {
  const m = CONTENT_ONLY.exec(data);
  if (!m) return undefined;
  const raw = m[2]!;
  const content = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
  // The upstream's id and model are not kept: every formatter writes the gateway's own (StreamIdentity).
  return {
    id: "",
    object: "chat.completion.chunk",
    created: Number(m[1]),
    model: "",
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
    [RAW_CONTENT]: raw,
  };
}
