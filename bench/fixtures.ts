/**
 * What the mock upstream answers and what the load generator sends. Sizes
 * are fixed so runs compare: a 617-byte chat.completion and a 22-event SSE
 * stream (role, 18 content deltas, finish, usage, [DONE]), as in issue 7.
 */

export const JSON_RESPONSE_BYTES = 617;
export const SSE_EVENTS = 22;

const created = 1_735_689_600;

function completion(content: string): string {
  return JSON.stringify({
    id: "chatcmpl-bench0000000000000000000000",
    object: "chat.completion",
    created,
    model: "gpt-4o-mini-2024-07-18",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: 24,
      completion_tokens: 18,
      total_tokens: 42,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: "default",
    system_fingerprint: "fp_bench0001",
  });
}

/** The chat.completion body, padded to exactly 617 bytes. */
export function jsonResponseBody(): Buffer {
  const base = "Hello! How can I help?";
  const pad = JSON_RESPONSE_BYTES - Buffer.byteLength(completion(base));
  if (pad < 0) throw new Error("fixture template too large");
  const body = completion(base + " ".repeat(pad));
  if (Buffer.byteLength(body) !== JSON_RESPONSE_BYTES) throw new Error("fixture size mismatch");
  return Buffer.from(body);
}

const TOKENS = ["Hello", "!", " How", " can", " I", " help", " you", " today", "?", " I", " am", " a", " mock", " upstream", " for", " the", " bench", "."];

function chunk(delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "chatcmpl-bench0000000000000000000000",
    object: "chat.completion.chunk",
    created,
    model: "gpt-4o-mini-2024-07-18",
    system_fingerprint: "fp_bench0001",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...extra,
  };
}

/**
 * The 22 SSE events as separate frames (the mock writes each with its own
 * write). With `contentEvents`, that many content events instead of 18
 * (the tokens repeated), for measuring the per-event path.
 */
export function sseFrames(contentEvents?: number): Buffer[] {
  const payloads: Array<Record<string, unknown>> = [chunk({ role: "assistant", content: "", refusal: null }, null)];
  const count = contentEvents ?? TOKENS.length;
  for (let i = 0; i < count; i++) payloads.push(chunk({ content: TOKENS[i % TOKENS.length] }, null));
  payloads.push(chunk({}, "stop"));
  payloads.push({
    id: "chatcmpl-bench0000000000000000000000",
    object: "chat.completion.chunk",
    created,
    model: "gpt-4o-mini-2024-07-18",
    system_fingerprint: "fp_bench0001",
    choices: [],
    usage: { prompt_tokens: 24, completion_tokens: 18, total_tokens: 42, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
  });
  const frames = payloads.map((p) => Buffer.from(`data: ${JSON.stringify(p)}\n\n`));
  frames.push(Buffer.from("data: [DONE]\n\n"));
  if (contentEvents === undefined && frames.length !== SSE_EVENTS) throw new Error(`expected ${SSE_EVENTS} events, built ${frames.length}`);
  return frames;
}

export const BENCH_MODEL = "up/gpt-4o-mini";
/** A model whose upstream stream pauses after the first event: buffering would show in TTFC. */
export const SLOWTAIL_MODEL = "up/slowtail";
export const SLOWTAIL_PAUSE_MS = 10;
/** A model whose upstream streams one event a second for `max_tokens` seconds (the long-stream check). */
export const LONGSTREAM_MODEL = "up/longstream";

const SYSTEM = { role: "system", content: "You are a helpful assistant." };

export interface BodyOptions {
  stream?: boolean;
  model?: string;
  /** Number of user/assistant turns after the system prompt (default 1). */
  messages?: number;
  /** Pad the last user message so the body is about this many bytes. */
  bytes?: number;
}

/** A chat request body as the OpenAI SDK would send it. */
export function chatBody(opts: BodyOptions = {}): string {
  const turns = opts.messages ?? 1;
  const messages: Array<{ role: string; content: string }> = [SYSTEM];
  for (let i = 0; i < turns; i++) {
    const last = i === turns - 1;
    messages.push({ role: i % 2 === 0 || last ? "user" : "assistant", content: last ? "Say hello in one short sentence." : `Turn ${i}: a line of earlier conversation, about twenty tokens long, to make the history realistic.` });
  }
  const body: Record<string, unknown> = { model: opts.model ?? BENCH_MODEL, messages, max_tokens: 64 };
  if (opts.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  let text = JSON.stringify(body);
  if (opts.bytes && opts.bytes > text.length) {
    const filler = "lorem ipsum dolor sit amet ".repeat(Math.ceil((opts.bytes - text.length) / 27)).slice(0, opts.bytes - text.length);
    messages[messages.length - 1]!.content += ` ${filler}`;
    text = JSON.stringify(body);
  }
  return text;
}

/** Bodies of the soak's error traffic: answered by the gateway after auth (4xx), never upstream failures. */
export const ERROR_BODIES = {
  validation: JSON.stringify({ model: BENCH_MODEL, messages: [{ role: "wizard", content: "hi" }] }),
  unknownModel: JSON.stringify({ model: "up/no-such-model", messages: [{ role: "user", content: "hi" }] }),
};

/** Deterministic secrets for bulk-inserted keys (they match the store's key format mm_[0-9A-Za-z]{20,64}). */
export function bulkSecret(i: number): string {
  return `mm_benchkey${i.toString(36).padStart(16, "0")}`;
}
