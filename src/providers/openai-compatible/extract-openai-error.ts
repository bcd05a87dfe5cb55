import type { ExtractedError } from "../shared/to-upstream-error.js";

/** OpenAI-style `{"error":{"message","type","code","param"}}`; some compatibles send a bare string. */
export function extractOpenAIError(json: unknown): ExtractedError {
  const err = (json as { error?: unknown })?.error;
  if (typeof err === "string") return { message: err };
  if (err && typeof err === "object") {
    const e = err as { message?: unknown; type?: unknown; code?: unknown; param?: unknown };
    return {
      message: typeof e.message === "string" ? e.message : undefined,
      type: typeof e.type === "string" ? e.type : undefined,
      code: typeof e.code === "string" ? e.code : undefined,
      param: typeof e.param === "string" ? e.param : null,
    };
  }
  const m = (json as { message?: unknown })?.message;
  return { message: typeof m === "string" ? m : undefined };
}
