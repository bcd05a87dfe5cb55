import { Cancel } from "./cancel.js";
import { attemptOptions } from "./attempt-options.js";
import { collectPromptText } from "../accounting/collect-prompt-text.js";
import { finalizeUsage } from "../accounting/finalize-usage.js";
import { GatewayError } from "../errors/gateway-error.js";
import { runAttempts, AttemptsExhausted, type AttemptSuccess } from "../routing/run-attempts.js";
import type { ChatRequest } from "../schemas/chat-request-schema.js";
import type { ChatCompletionChunk, Usage } from "../schemas/chat-response.js";
import type { AttemptRecord } from "../stores/store.js";
import { buildUsageRecord } from "./build-usage-record.js";
import type { ChunkFormatter, StreamIdentity } from "./chunk-formatter.js";
import { createProviderContext } from "./create-provider-context.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { StreamResponse } from "./gateway-types.js";
import { openFirstChunk, type OpenedStream } from "./open-first-chunk.js";
import type { PreparedCall } from "./prepare-chat.js";
import { requestSignal, type CallerCancel } from "./request-signal.js";
import { responseHeaders } from "./response-headers.js";
import { KEEP_ALIVE_FRAME } from "./sse-frames.js";
import { toChatCall } from "./to-chat-call.js";
import { watchIdle, type IdleWatch } from "../routing/watch-idle.js";
import type { Candidate } from "../routing/plan-candidates.js";
import type { ChatStreamResult, ProviderContext, StreamItem } from "../providers/provider.js";

export type OpenStream = (candidate: Candidate, ctx: ProviderContext) => Promise<ChatStreamResult>;

interface Opened extends OpenedStream<StreamItem<ChatCompletionChunk>> {
  headers: Record<string, string>;
  abort(): void;
}

/** Characters the caller received, for a usage estimate when the upstream never reported one. */
function countChars(chunk: ChatCompletionChunk): number {
  let n = 0;
  for (const c of chunk.choices) {
    const d = c.delta;
    n += (d.content?.length ?? 0) + (d.reasoning?.length ?? 0);
    if (d.tool_calls) for (const t of d.tool_calls) n += (t.function?.arguments?.length ?? 0) + (t.function?.name?.length ?? 0);
  }
  return n;
}

/**
 * One streamed request after its attempts started: what the event loop
 * below reads and writes. `ready`, `readyAt` and `early` are set when the
 * opening settles, which may be while the loop already runs (keep-alives).
 */
interface StreamRun {
  rt: GatewayRuntime;
  p: PreparedCall<ChatRequest>;
  endpoint: string;
  format: ChunkFormatter;
  requestedModel: string;
  /** The request's own cancellation: the caller's signal joined with the deadline. */
  cancel: Cancel;
  abortRequest(): void;
  dispose(): void;
  /** The opening settled: `ready` or `early` is set. */
  settled: Promise<void>;
  ready: AttemptSuccess<Opened> | undefined;
  readyAt: number;
  early: unknown;
  attempts: AttemptRecord[];
}

type RecordFields = { usage: Usage | null; costNano: number; model: string | null; provider: string | null; status: number; errorCode: string | null; ttftMs: number | null; cancelled?: boolean };

/** Not async: the promise of `finish` (which never rejects) is handed on as it is. */
function record(run: StreamRun, fields: RecordFields): Promise<void> {
  const { rt, p } = run;
  return rt.accounts.finish(
    p.admission,
    buildUsageRecord({ generationId: p.generationId, keyId: p.principal.keyId, endpoint: run.endpoint, requestedModel: run.requestedModel, attempts: run.attempts, startedAt: p.startedAt, now: rt.now(), stream: true, user: p.request.user, ...fields }),
  );
}

/** Every route failed before the first chunk: the record carries the attempts and the last error. */
async function recordOpeningFailure(run: StreamRun, statusIfUntyped: number): Promise<void> {
  const { early } = run;
  run.attempts = early instanceof AttemptsExhausted ? early.attempts : [];
  const err = early instanceof GatewayError ? early : undefined;
  await record(run, { usage: null, costNano: 0, model: null, provider: null, status: err?.status ?? statusIfUntyped, errorCode: err?.code ?? "internal_error", ttftMs: null, cancelled: err?.code === "client_closed" });
}

/**
 * A streamed chat answer. Fallback is possible until the first chunk; if
 * that takes longer than the keep-alive interval, the stream is committed
 * early and `: keep-alive` comments hold the connection open. After the
 * first byte, a failure ends the stream with an error event and [DONE]
 * (never a silent clean end); a disconnect aborts the upstream and the
 * tokens generated so far are still accounted.
 */
export async function streamChat(
  rt: GatewayRuntime,
  p: PreparedCall<ChatRequest>,
  caller: CallerCancel,
  endpoint: string,
  format: ChunkFormatter,
  /** Opens one route's stream; by default the provider's chat stream (native legacy completions pass their own). */
  open: OpenStream = (c, ctx) => rt.providers.get(c.route.provider)!.chatStream(toChatCall(p.request, c), ctx),
): Promise<StreamResponse> {
  const { cancel, dispose, abort: abortRequest } = requestSignal(caller, rt.timeouts.totalMs);
  const warnings: string[] = [];

  const opening = runAttempts<Opened>(
    p.candidates,
    async (c, s) => {
      // `s` aborts when the request ends or this route loses a hedge: the upstream is closed with it.
      const attempt = Cancel.following(s).cancel;
      const abort = () => attempt.abort();
      const ctx = createProviderContext(rt, p.requestId, attempt, warnings, { provider: c.route.provider, model: c.model.id }, "stream");
      let headers: Record<string, string> = {};
      try {
        const res = open(c, ctx).then((r) => ((headers = r.headers), r.chunks));
        const opened = await openFirstChunk(res, rt.timeouts.firstByteMs, abort, c.route.provider);
        // Named fields, not a spread: a spread here gave every request's object a hidden class of its own.
        return { first: opened.first, rest: opened.rest, headers, abort };
      } catch (error) {
        abort();
        throw error;
      }
    },
    attemptOptions(rt, cancel),
  );

  const run: StreamRun = {
    rt, p, endpoint, format, cancel, abortRequest, dispose,
    requestedModel: p.request.model ?? p.request.models?.[0] ?? "",
    settled: Promise.resolve(),
    ready: undefined,
    readyAt: 0,
    early: undefined,
    attempts: [],
  };
  // Wait briefly for the first token so early failures keep their HTTP status.
  run.settled = opening.then(
    (v) => {
      run.readyAt = rt.now();
      run.ready = v;
    },
    (e) => void (run.early = e ?? new Error("stream failed")),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([run.settled, new Promise((r) => (timer = setTimeout(r, rt.keepAliveIntervalMs)))]);
  clearTimeout(timer);
  if (run.early !== undefined) {
    await recordOpeningFailure(run, 500);
    dispose();
    throw run.early;
  }

  const { ready } = run;
  const headers: Record<string, string> = ready
    ? responseHeaders(p.requestId, ready.value.headers, p.admission.headers, ready.candidate, [...(p.dropped.get(ready.candidate.route.key) ?? []), ...warnings])
    : { ...p.admission.headers, "x-request-id": p.requestId };
  return { kind: "stream", status: 200, headers, events: streamEvents(run) };
}

/**
 * The caller's SSE frames. A module-level generator over explicit state: a
 * generator function defined per request gave every stream a prototype
 * object and hidden classes of its own.
 */
async function* streamEvents(run: StreamRun): AsyncGenerator<string> {
  const { rt, p, format } = run;
  let who: StreamIdentity | null = null;
  let usage: Usage | null = null;
  let chars = 0;
  let ttftMs: number | null = null;
  let finished = false;
  let opened: Opened | undefined;
  let idle: IdleWatch | undefined;
  let stalled: GatewayError | undefined;
  /** What was generated before the end: the upstream's last usage, else an estimate from what was sent. */
  const partialUsage = () => {
    const model = run.ready?.candidate.model;
    return model ? finalizeUsage(model, usage ?? estimateUsage(p.request, chars)) : null;
  };
  try {
    // Committed before the first token: a keep-alive at once carries the headers out.
    if (!run.ready && run.early === undefined) yield KEEP_ALIVE_FRAME;
    while (!run.ready && run.early === undefined) {
      let tick: NodeJS.Timeout | undefined;
      const ticked = await Promise.race([run.settled.then(() => false), new Promise<boolean>((r) => (tick = setTimeout(() => r(true), rt.keepAliveIntervalMs)))]);
      clearTimeout(tick);
      if (ticked) yield KEEP_ALIVE_FRAME;
    }
    if (run.early !== undefined) {
      finished = true;
      await recordOpeningFailure(run, 502);
      yield format.fail(run.early, null, null);
      return;
    }
    const done = run.ready!;
    opened = done.value;
    run.attempts = done.attempts;
    ttftMs = run.readyAt - p.startedAt;
    who = { id: p.generationId, model: done.candidate.model.id, provider: done.candidate.route.provider, created: Math.floor(rt.now() / 1000) };
    const current = opened;
    if (rt.timeouts.idleMs > 0) {
      const provider = who.provider;
      idle = watchIdle(rt.timeouts.idleMs, () => {
        stalled = new GatewayError({ status: 408, code: "upstream_timeout", message: `The stream from ${provider} sent nothing for ${rt.timeouts.idleMs} ms`, isRetryable: true, upstream: { kind: "timeout", provider }, expose: true });
        current.abort();
      });
    }
    const identity = who;
    const take = (chunk: ChatCompletionChunk): string => {
      if (chunk.usage) usage = chunk.usage;
      if (chunk.choices.length === 0) return "";
      if (chunk.usage !== undefined) delete chunk.usage;
      chars += countChars(chunk);
      return format.chunk(chunk, identity);
    };
    let next: IteratorResult<StreamItem<ChatCompletionChunk>> = { done: false, value: opened.first };
    while (!next.done) {
      // A batch (chunks of one upstream read) leaves as one string: one async step, one write.
      const item = next.value;
      let frames = "";
      if (Array.isArray(item)) for (const chunk of item) frames += take(chunk);
      else frames = take(item);
      if (frames) yield frames;
      idle?.arm();
      next = await opened.rest.next();
      idle?.disarm();
    }
    const final = finalizeUsage(done.candidate.model, usage ?? estimateUsage(p.request, chars));
    finished = true;
    await record(run, { usage: final.usage, costNano: final.costNano, model: who.model, provider: who.provider, status: 200, errorCode: null, ttftMs });
    yield format.end(final.usage, who);
  } catch (error) {
    if (finished) throw error;
    finished = true;
    opened?.abort();
    const partial = partialUsage();
    // Once the request is over (deadline or disconnect) its reason is the error, not the abort it caused upstream.
    const failure = run.cancel.aborted && run.cancel.reason instanceof GatewayError ? run.cancel.reason : (stalled ?? error);
    const err = failure instanceof GatewayError ? failure : undefined;
    const cancelled = err?.code === "client_closed";
    await record(run, { usage: partial?.usage ?? null, costNano: partial?.costNano ?? 0, model: who?.model ?? null, provider: who?.provider ?? null, status: err?.status ?? 502, errorCode: err?.code ?? "upstream_error", ttftMs, cancelled });
    // Never a silent end: the caller gets the error event and [DONE] (Portkey #1797, vercel/ai #2698).
    if (!cancelled) yield format.fail(failure, partial?.usage ?? null, who);
  } finally {
    idle?.stop();
    if (!finished) {
      // The consumer stopped early (client gone): end the attempts, close the upstream, account what was sent.
      run.abortRequest();
      if (!run.ready && run.early === undefined) {
        // Still opening: the aborted attempts settle at once; keep their records.
        await run.settled;
        const failed: unknown = run.early;
        if (failed instanceof AttemptsExhausted) run.attempts = failed.attempts;
      }
      opened ??= run.ready?.value;
      opened?.abort();
      void opened?.rest.return?.()?.catch?.(() => undefined);
      const partial = partialUsage();
      await record(run, { usage: partial?.usage ?? null, costNano: partial?.costNano ?? 0, model: who?.model ?? null, provider: who?.provider ?? null, status: 499, errorCode: "client_closed", ttftMs, cancelled: true });
    }
    run.dispose();
  }
}

/** When the upstream never reported usage: ~4 characters a token, both ways (a stated estimate). */
function estimateUsage(request: ChatRequest, chars: number): Usage {
  const prompt = Math.ceil(collectPromptText(request.messages, request.tools).chars / 4);
  const completion = Math.ceil(chars / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
