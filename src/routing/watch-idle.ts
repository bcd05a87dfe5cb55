export interface IdleWatch {
  /** Waiting for the upstream from now on: the limit runs. */
  arm(): void;
  /** Not waiting for the upstream (a chunk came; the caller may be slow to read): the limit is paused. */
  disarm(): void;
  stop(): void;
}

/**
 * The idle gap between two stream chunks, enforced by the gateway itself:
 * undici's bodyTimeout fires on a ~1 s grid (its fast timers) and does not
 * exist for other transports. One timer per stream, re-armed with
 * `refresh()`, so a chunk costs no allocation (LiteLLM #12685: a closure per
 * chunk). Time spent waiting for a slow caller does not count.
 */
export function watchIdle(limitMs: number, onIdle: () => void): IdleWatch {
  let waiting = false;
  const timer = setTimeout(() => {
    if (waiting) onIdle();
  }, limitMs);
  timer.unref?.();
  return {
    arm() {
      waiting = true;
      timer.refresh();
    },
    disarm() {
      waiting = false;
    },
    stop() {
      waiting = false;
      clearTimeout(timer);
    },
  };
}
