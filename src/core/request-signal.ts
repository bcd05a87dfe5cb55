/** The caller's abort signal joined with the total deadline (0: no deadline, so long healthy streams live). */
export function requestSignal(callerSignal: AbortSignal | undefined, totalMs: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(callerSignal?.reason ?? new Error("client closed the request"));
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  if (totalMs > 0) {
    timer = setTimeout(() => controller.abort(new Error(`total deadline of ${totalMs} ms passed`)), totalMs);
    timer.unref?.();
  }
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onAbort);
    },
  };
}
