import type { GeminiInlineData } from "./gemini-types.js";

/**
 * `data:<mime>[;params][;base64],<data>` -> Gemini `inlineData`, whose
 * `data` is always base64 (discovery doc, `Blob`). A percent-encoded
 * (non-base64) payload is re-encoded. Returns undefined for anything else.
 */
export function parseDataUrl(url: string): GeminiInlineData | undefined {
  const match = /^data:([^,]*?),(.*)$/s.exec(url);
  if (!match) return undefined;
  const meta = match[1]!.split(";");
  const payload = match[2]!;
  const base64 = meta.slice(1).some((p) => p.trim().toLowerCase() === "base64");
  const mimeType = meta[0]!.trim().toLowerCase() || "text/plain";
  let data: string;
  try {
    data = base64 ? payload.replace(/\s+/g, "") : Buffer.from(decodeURIComponent(payload), "utf8").toString("base64");
  } catch {
    return undefined;
  }
  return { mimeType, data };
}
