/**
 * URIs Gemini reads itself through `fileData`: Cloud Storage, Files API
 * uploads and YouTube videos (https://ai.google.dev/gemini-api/docs/file-input-methods).
 */
const NATIVE_URI = /^(gs:\/\/|https:\/\/generativelanguage\.googleapis\.com\/|https:\/\/(www\.)?(youtube\.com|youtu\.be)\/)/i;

/** Whether Gemini can read this URL without the gateway fetching it. */
export function isNativeGeminiUri(url: string): boolean {
  return NATIVE_URI.test(url);
}
