type Warn = (param: string, reason: string) => void;

/**
 * Parses an OpenAI `function.arguments` string into the object Anthropic's
 * `tool_use.input` requires. Zero-argument tools often send "" (vercel/ai
 * #2103): that is `{}` silently; anything unparseable or not an object is
 * `{}` with a warning, since Anthropic rejects a non-object input.
 */
export function parseToolArguments(args: string, param: string, warn: Warn): Record<string, unknown> {
  if (args.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  warn(param, "tool call arguments are not a JSON object; sent to Anthropic as {}");
  return {};
}
