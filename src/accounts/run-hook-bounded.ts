export type HookOutcome<T> = { status: "ok"; value: T } | { status: "error"; error: unknown } | { status: "timeout"; error: Error };

/**
 * Runs a host hook so that it can neither throw into the caller nor hold it
 * longer than `timeoutMs`: a hung hook is left running and reported, the
 * caller goes on.
 */
export async function runHookBounded<T>(name: string, call: () => T | Promise<T>, timeoutMs: number): Promise<HookOutcome<Awaited<T>>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HookOutcome<Awaited<T>>>((resolve) => {
    timer = setTimeout(() => resolve({ status: "timeout", error: new Error(`hook ${name} did not finish within ${timeoutMs} ms`) }), timeoutMs);
    timer.unref();
  });
  const run = Promise.resolve()
    .then(call)
    .then(
      (value): HookOutcome<Awaited<T>> => ({ status: "ok", value: value as Awaited<T> }),
      (error: unknown): HookOutcome<Awaited<T>> => ({ status: "error", error }),
    );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
