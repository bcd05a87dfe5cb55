import type { GeminiPart } from "./gemini-types.js";
import { guessMimeType } from "./guess-mime-type.js";
import { isNativeGeminiUri } from "./is-native-gemini-uri.js";
import { parseDataUrl } from "./parse-data-url.js";
import type { GeminiConvertOptions } from "./remote-media.js";

/**
 * A media URL -> an `inlineData` or `fileData` part. Other https URLs are
 * not fetched by the gateway unless the host opted in (fetchUrls, done
 * beforehand by fetchRemoteMedia); otherwise the part is reported and dropped.
 */
export function convertMediaUrl(url: string, param: string, options: GeminiConvertOptions): GeminiPart | undefined {
  if (url.startsWith("data:")) {
    const inline = parseDataUrl(url);
    if (inline) return { inlineData: inline };
    options.warn("messages", `${param}: malformed data URL; dropped`);
    return undefined;
  }
  if (isNativeGeminiUri(url)) {
    const mimeType = guessMimeType(url);
    return { fileData: mimeType === undefined ? { fileUri: url } : { fileUri: url, mimeType } };
  }
  const fetched = options.media.get(url);
  if (fetched !== undefined && "data" in fetched) return { inlineData: fetched };
  const reason =
    fetched !== undefined
      ? `could not be fetched (${fetched.error})`
      : options.fetchUrls
        ? "only https URLs are fetched"
        : "Gemini takes inline data, gs:// and Files API URIs, and this gateway does not fetch URLs (fetchUrls is off)";
  options.warn("messages", `${param}: ${reason}; dropped`);
  return undefined;
}
