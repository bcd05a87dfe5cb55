const noop = () => undefined;

/**
 * Cancellation inside the gateway: what an AbortController does for the
 * request, its attempts and their upstream calls, as a plain object. On
 * node 20 every AbortSignal gets hidden classes of its own and each of its
 * EventTarget calls misses V8's caches; three of them per streamed request
 * cost 9-13% of the core's CPU (`npm run bench:ab`). A real AbortSignal
 * that follows this one is made only when something asks for it (`signal`):
 * an injected transport, the mock provider.
 */
export class Cancel {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined = undefined;
  private controller: AbortController | undefined = undefined;

  /** Aborts once, with `reason` (an AbortError by default): a made signal aborts, then the listeners run in order. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason;
    this.controller?.abort(this.reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const fn of listeners) fn();
  }

  /** Runs `fn` once when this aborts (never, if it already has); returns the way to stop listening. */
  onAbort(fn: () => void): () => void {
    if (this.aborted) return noop;
    (this.listeners ??= []).push(fn);
    return () => {
      const i = this.listeners?.indexOf(fn) ?? -1;
      if (i !== -1) this.listeners!.splice(i, 1);
    };
  }

  /** A real AbortSignal that aborts with this, made on first use. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Runs `fn` once when `parent` (a Cancel or an AbortSignal) aborts, not if it already has; returns the way to stop listening. */
  static listen(parent: Cancel | AbortSignal, fn: () => void): () => void {
    // Not instanceof: a Cancel made by the package's other build (CJS beside ESM) is a Cancel too.
    if ("onAbort" in parent) return parent.onAbort(fn);
    if (parent.aborted) return noop;
    parent.addEventListener("abort", fn, { once: true });
    return () => parent.removeEventListener("abort", fn);
  }

  /** A Cancel that aborts when `parent` does, with its reason; `unlink` stops following. */
  static following(parent: Cancel | AbortSignal): { cancel: Cancel; unlink: () => void } {
    const cancel = new Cancel();
    if (parent.aborted) {
      cancel.abort(parent.reason);
      return { cancel, unlink: noop };
    }
    return { cancel, unlink: Cancel.listen(parent, () => cancel.abort(parent.reason)) };
  }
}
