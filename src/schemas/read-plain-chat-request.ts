import { chatRequestSchema, type ChatRequest } from "./chat-request-schema.js";

/** The schema's top-level fields in its order: zod writes its output in this order, and so does this reader. */
const FIELDS = Object.keys(chatRequestSchema.shape);
const KNOWN = new Set(FIELDS);
const PLAIN_ROLES = new Set(["system", "developer", "user", "assistant"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** null, or a number in [min, max] (NaN fails both comparisons). */
const nullOrIn = (value: unknown, min: number, max: number): boolean => value === null || (typeof value === "number" && value >= min && value <= max);
/** null, or a safe integer in [min, max] (zod's `.int()` is the safe range). */
const nullOrIntIn = (value: unknown, min: number, max: number): boolean => value === null || (Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max);

/** One known field other than `messages` by the schema's rule; false for a field left to zod. */
function plainFieldOk(key: string, value: unknown, body: Record<string, unknown>): boolean {
  switch (key) {
    case "model":
      return typeof value === "string" && value.length > 0;
    case "user":
      return typeof value === "string";
    case "stream":
    case "logprobs":
      return value === null || typeof value === "boolean";
    case "parallel_tool_calls":
      return typeof value === "boolean";
    case "stream_options":
      // The schema's refinement: stream_options only with stream: true.
      if (value === null) return true;
      if (body.stream !== true || !isPlainObject(value)) return false;
      for (const k in value) if (k !== "include_usage" || typeof value[k] !== "boolean") return false;
      return true;
    case "max_tokens":
    case "max_completion_tokens":
      return nullOrIntIn(value, 1, Number.MAX_SAFE_INTEGER);
    case "n":
      return nullOrIntIn(value, 1, 128);
    case "seed":
      return nullOrIntIn(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    case "temperature":
      return nullOrIn(value, 0, 2);
    case "top_p":
      return nullOrIn(value, 0, 1);
    case "presence_penalty":
    case "frequency_penalty":
      return nullOrIn(value, -2, 2);
    default:
      return false;
  }
}

/** A text message (`role`, string `content`, optional string `name`) copied in the schema's field order; undefined for any other. */
function copyPlainMessage(message: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(message)) return undefined;
  for (const k in message) if (k !== "role" && k !== "content" && k !== "name") return undefined;
  const { role, content } = message;
  if (typeof role !== "string" || !PLAIN_ROLES.has(role) || typeof content !== "string") return undefined;
  if (!("name" in message)) return { role, content };
  return typeof message.name === "string" ? { role, content, name: message.name } : undefined;
}

/**
 * The common chat request read without zod: a model name, text messages
 * (system, developer, user, assistant) and only the plain scalar options
 * (stream, max_tokens, temperature, ...), plus any unknown top-level
 * fields, which the schema keeps as they are. The result is what
 * `chatRequestSchema` would give for the same body, field order included
 * (test/core/read-plain-chat-request.test.ts checks it against zod on
 * generated bodies). Anything else (tools, multimodal parts, `models`,
 * an invalid value) gives undefined: the caller then runs the schema,
 * which also words every error. The schema cost about 10% of the core's
 * CPU per request, and far more on a request after an idle pause (time
 * to first chunk at c=1).
 */
export function readPlainChatRequest(body: unknown): ChatRequest | undefined {
  if (!isPlainObject(body)) return undefined;
  let unknown = false;
  for (const key in body) {
    if (key === "messages") continue;
    if (!KNOWN.has(key)) {
      // zod never copies an undeclared __proto__; leave that body to it.
      if (key === "__proto__") return undefined;
      unknown = true;
    } else if (!plainFieldOk(key, body[key], body)) return undefined;
  }
  // The schema's refinement: model (or models, left to zod) is required.
  if (typeof body.model !== "string") return undefined;
  const given = body.messages;
  if (!Array.isArray(given) || given.length === 0) return undefined;
  const messages: Array<Record<string, unknown>> = new Array(given.length);
  for (let i = 0; i < given.length; i++) {
    const copy = copyPlainMessage(given[i]);
    if (copy === undefined) return undefined;
    messages[i] = copy;
  }
  const out: Record<string, unknown> = {};
  for (const key of FIELDS) {
    if (!(key in body)) continue;
    const value = body[key];
    if (key === "messages") out.messages = messages;
    else if (key === "stream_options" && value !== null) out.stream_options = { ...(value as Record<string, unknown>) };
    else out[key] = value;
  }
  if (unknown) for (const key in body) if (!KNOWN.has(key)) out[key] = body[key];
  return out as ChatRequest;
}
