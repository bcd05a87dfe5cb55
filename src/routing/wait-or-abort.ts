import type { Cancel } from "../core/cancel.js";

/** Resolves after `ms`, or rejects with the reason as soon as `cancel` aborts (a backoff must not outlive its request). */
export function waitOrAbort(ms: number, cancel: Cancel): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancel.aborted) return reject(cancel.reason);
    const stop = cancel.onAbort(() => {
      clearTimeout(timer);
      reject(cancel.reason);
    });
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
  });
}
