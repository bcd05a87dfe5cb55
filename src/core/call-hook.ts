/**
 * Runs a host hook with a time bound: a hook that throws or hangs never
 * breaks or holds up the answer; its failure is reported instead.
 */
export async function callHook<T>(
  fn: (() => T | Promise<T>) | undefined,
  timeoutMs: number,
  report: (error: unknown) => void,
): Promise<T | undefined> {
  if (!fn) return undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(fn),
      new Promise<undefined>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`hook timed out after ${timeoutMs} ms`)), timeoutMs);
        timer.unref?.();
      }),
    ]);
  } catch (error) {
    report(error);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
