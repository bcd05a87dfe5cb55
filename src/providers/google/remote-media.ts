import type { GeminiInlineData } from "./gemini-types.js";

/** What the gateway fetched for an https media URL (fetchUrls), or why it could not. */
export type RemoteMedia = Map<string, GeminiInlineData | { error: string }>;

/** Options every message converter shares. */
export interface GeminiConvertOptions {
  /** Upstream model name (some history rules differ for Gemini 3). */
  model: string;
  /** https URLs fetched beforehand when the host set fetchUrls. */
  media: RemoteMedia;
  fetchUrls: boolean;
  warn(param: string, reason: string): void;
}
