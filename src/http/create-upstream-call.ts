import { Cancel } from "../core/cancel.js";
import { asAsyncIterable } from "../core/as-async-iterable.js";
import type { Dispatcher } from "undici";
import type { GatewayError } from "../errors/gateway-error.js";
import { BODY_BYTES, type WithBodyBytes } from "./body-bytes.js";
import type { UpstreamRequest, UpstreamResponse } from "./transport.js";

/** Bytes held for a consumer that is not reading before the upstream is paused (back-pressure). */
const HIGH_WATER = 64 * 1024;
/** What dump() reads through before it gives the connection up instead. */
const DUMP_LIMIT = 128 * 1024;

type Controller = Dispatcher.DispatchController;
type Waiter = { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void };

const DONE: IteratorResult<Uint8Array> = { done: true, value: undefined };
/** The abort reason when the consumer leaves early: one object, no stack captured per request. */
const STOPPED = new Error("the consumer stopped reading");
const DUMPED = new Error("the rest of the body was not wanted");

/**
 * One upstream exchange on undici's dispatch API: no Readable stream, no
 * async generator, no promise per chunk when the consumer is behind. The
 * body is an async iterator that hands over everything received since the
 * last read in one piece (one upstream read is one step of the consumer's
 * loop, the unit the SSE path batches on), pauses the socket past a high
 * water mark, and closes the upstream connection when the consumer stops
 * early (`return()`), like undici's own body stream does.
 */
export function createUpstreamCall(
  dispatcher: Dispatcher,
  origin: string,
  path: string,
  req: UpstreamRequest,
  toError: (error: unknown) => GatewayError,
): Promise<UpstreamResponse> {
  return new Promise<UpstreamResponse>((resolveResponse, rejectResponse) => {
    let controller: Controller | undefined;
    let started = false;
    let chunks: Buffer[] = [];
    let queued = 0;
    let ended = false;
    let failure: GatewayError | undefined;
    let waiter: Waiter | undefined;
    let discard = false;
    let discarded = 0;
    let onEnd: (() => void) | undefined;
    // The gateway's own Cancel when the request carries one; else one that follows the caller's signal.
    const followed = req.cancel ? undefined : Cancel.following(req.signal);
    const cancel = req.cancel ?? followed!.cancel;
    /** Why the exchange is cancelled: the Cancel's reason, or a plain one if it gave none. */
    const cancelledWith = () => (cancel.reason as Error | undefined) ?? new Error("aborted");
    const onAbort = () => controller?.abort(cancelledWith());
    const stopListening = cancel.onAbort(onAbort);
    const detach = () => {
      stopListening();
      followed?.unlink();
    };

    const take = (): Uint8Array => {
      const value = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, queued);
      chunks = [];
      queued = 0;
      if (controller?.paused && !ended) controller.resume();
      return value;
    };
    const finish = (error?: GatewayError) => {
      if (ended) return;
      ended = true;
      failure = error;
      detach();
      const w = waiter;
      waiter = undefined;
      if (w) {
        if (chunks.length > 0) w.resolve({ done: false, value: take() });
        else if (error) w.reject(error);
        else w.resolve(DONE);
      }
      onEnd?.();
    };

    const body = asAsyncIterable<Uint8Array>({
      next() {
        if (chunks.length > 0) return Promise.resolve({ done: false, value: take() });
        if (ended) return failure ? Promise.reject(failure) : Promise.resolve(DONE);
        return new Promise((resolve, reject) => (waiter = { resolve, reject }));
      },
      return() {
        chunks = [];
        queued = 0;
        if (!ended) controller?.abort(STOPPED);
        return Promise.resolve(DONE);
      },
    });

    /** The whole body at once (JSON answers, error bodies): data goes straight to one list, never paused. */
    const readAll = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const all = chunks;
        chunks = [];
        queued = 0;
        const done = () => (failure ? reject(failure) : resolve(all.length === 1 ? all[0]!.toString("utf8") : Buffer.concat(all).toString("utf8")));
        if (ended) return done();
        sink = all;
        onEnd = done;
        if (controller?.paused) controller.resume();
      });
    let sink: Buffer[] | undefined;

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (cancel.aborted) c.abort(cancelledWith());
      },
      onResponseStart(_c, statusCode, headers) {
        if (statusCode < 200 || started) return;
        started = true;
        resolveResponse({
          status: statusCode,
          headers: headers as UpstreamResponse["headers"],
          body,
          text: readAll,
          dump() {
            discard = true;
            chunks = [];
            queued = 0;
            if (ended) return Promise.resolve();
            if (controller?.paused) controller.resume();
            return new Promise<void>((resolve) => (onEnd = resolve));
          },
        });
      },
      onResponseData(c, chunk) {
        if (discard) {
          discarded += chunk.length;
          if (discarded > DUMP_LIMIT) c.abort(DUMPED);
          return;
        }
        if (sink) return void sink.push(chunk);
        const w = waiter;
        if (w) {
          waiter = undefined;
          w.resolve({ done: false, value: chunk });
          return;
        }
        chunks.push(chunk);
        queued += chunk.length;
        if (queued >= HIGH_WATER) c.pause();
      },
      onResponseEnd() {
        finish();
      },
      onResponseError(_c, error) {
        // Our own way out (the consumer left, or a dump gave up): nobody waits for an error.
        if (error === STOPPED || error === DUMPED) return finish();
        const typed = toError(error);
        if (!started) {
          ended = true;
          detach();
          rejectResponse(typed);
          return;
        }
        finish(discard ? undefined : typed);
      },
    };

    if (cancel.aborted) return rejectResponse(toError(cancelledWith()));
    dispatcher.dispatch(
      {
        origin,
        path,
        method: req.method,
        headers: req.headers,
        body: (req as WithBodyBytes)[BODY_BYTES] ?? req.body ?? null,
        headersTimeout: req.firstByteMs ?? 0,
        bodyTimeout: req.idleMs ?? 0,
      },
      handler,
    );
  });
}
