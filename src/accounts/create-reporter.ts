import type { AccountsHooks, HookErrorContext } from "./accounts-options.js";
import { runHookBounded } from "./run-hook-bounded.js";

/**
 * How hook failures and store errors in finish() are reported: to the
 * host's onError hook (bounded, never awaited by the caller), else console.warn.
 */
export function createReporter(hooks: AccountsHooks, timeoutMs: number): (error: unknown, ctx: HookErrorContext) => void {
  return (error, ctx) => {
    const onError = hooks.onError;
    if (!onError) {
      console.warn(`[modelmux] ${ctx.hook}:`, error);
      return;
    }
    void runHookBounded("onError", () => onError(error, ctx), timeoutMs).then((outcome) => {
      if (outcome.status !== "ok") console.warn(`[modelmux] ${ctx.hook}:`, error, "(and onError failed:", outcome.error, ")");
    });
  };
}
