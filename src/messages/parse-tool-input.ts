/**
 * Tool-call arguments (a JSON string) as Anthropic's `input` object. Empty
 * arguments are `{}` (vercel/ai #2103); text that is not a JSON object is
 * kept under `_raw` rather than lost.
 */
export function parseToolInput(args: string | undefined): Record<string, unknown> {
  if (args === undefined || args.trim() === "") return {};
  try {
    const value = JSON.parse(args) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { _raw: args };
  } catch {
    return { _raw: args };
  }
}
