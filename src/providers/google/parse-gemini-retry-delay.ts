/**
 * Gemini's 429 body names the wait in `details[].retryDelay` of a
 * `google.rpc.RetryInfo` (a protobuf Duration such as "34.4s":
 * https://ai.google.dev/gemini-api/docs/rate-limits). Returns milliseconds.
 */
export function parseGeminiRetryDelay(body: unknown): number | undefined {
  const details = (body as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const d = detail as { "@type"?: unknown; retryDelay?: unknown };
    if (typeof d["@type"] !== "string" || !d["@type"].endsWith("google.rpc.RetryInfo") || typeof d.retryDelay !== "string") continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay.trim());
    if (match) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}
