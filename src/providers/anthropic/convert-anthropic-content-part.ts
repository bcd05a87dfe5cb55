import type { ContentPart } from "../../schemas/chat-request-schema.js";
import type { AnthropicCacheControl, AnthropicMediaBlock, AnthropicSource } from "./anthropic-types.js";
import { parseDataUrl } from "./parse-data-url.js";

/** Image media types Anthropic accepts (https://docs.anthropic.com/en/docs/build-with-claude/vision). */
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);
const PDF = "application/pdf";

type Warn = (param: string, reason: string) => void;

/**
 * Converts one OpenAI content part to an Anthropic block, or undefined (with
 * a warning) when Anthropic has no equivalent. `param` names the part in
 * warnings, e.g. `messages[2].content[1]`.
 */
export function convertAnthropicContentPart(part: ContentPart, param: string, warn: Warn): AnthropicMediaBlock | undefined {
  const block = convertPart(part, param, warn);
  // OpenRouter-style prompt caching markers on parts are passed through
  // (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching).
  const cache = (part as { cache_control?: AnthropicCacheControl }).cache_control;
  if (block && cache && typeof cache === "object") block.cache_control = cache;
  return block;
}

function convertPart(part: ContentPart, param: string, warn: Warn): AnthropicMediaBlock | undefined {
  switch (part.type) {
    case "text":
      // Anthropic rejects empty text blocks ("text content blocks must be non-empty").
      return part.text.length > 0 ? { type: "text", text: part.text } : undefined;
    case "refusal":
      return part.refusal.length > 0 ? { type: "text", text: part.refusal } : undefined;
    case "image_url":
      return convertImageUrl(part.image_url.url, param, warn);
    case "file":
      return convertFile(part.file, param, warn);
    case "input_audio":
      // The Messages API takes no audio input blocks at all.
      warn(param, "input_audio is not supported by Anthropic; the audio part was dropped");
      return undefined;
  }
}

function convertImageUrl(url: string, param: string, warn: Warn): AnthropicMediaBlock | undefined {
  const data = parseDataUrl(url);
  if (!data) {
    if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
    warn(param, "image_url must be an http(s) URL or a data URL; the image was dropped");
    return undefined;
  }
  // A PDF sent as image_url would be refused as an image: send it as the document it is.
  if (data.mediaType === PDF) return toBase64Block(data.mediaType, data, param, warn);
  if (!IMAGE_TYPES.has(data.mediaType)) {
    warn(param, `image type ${data.mediaType} is not supported by Anthropic (jpeg, png, gif, webp); the image was dropped`);
    return undefined;
  }
  return toBase64Block(data.mediaType, data, param, warn);
}

interface FileFields {
  filename?: string;
  file_data?: string;
  file_id?: string;
}

function convertFile(file: FileFields, param: string, warn: Warn): AnthropicMediaBlock | undefined {
  if (file.file_data === undefined) {
    // OpenAI file ids mean nothing to Anthropic's Files API.
    warn(param, "file_id references are not supported by Anthropic; send file_data instead");
    return undefined;
  }
  const parsed = parseDataUrl(file.file_data);
  const isPdfName = /\.pdf$/i.test(file.filename ?? "");
  // Raw base64 without a data: prefix is accepted when the filename says PDF.
  const data = parsed ?? { mediaType: isPdfName ? PDF : "application/octet-stream", base64: true, data: file.file_data };
  const mediaType = data.mediaType === "application/octet-stream" && isPdfName ? PDF : data.mediaType;
  const block = mediaType === PDF || IMAGE_TYPES.has(mediaType) || mediaType === "text/plain" ? toBase64Block(mediaType, data, param, warn) : undefined;
  if (!block) {
    warn(param, `file type ${mediaType} is not supported by Anthropic (PDF, plain text, images); the file was dropped`);
    return undefined;
  }
  if (block.type === "document" && file.filename) block.title = file.filename;
  return block;
}

function toBase64Block(mediaType: string, data: { base64: boolean; data: string }, param: string, warn: Warn): AnthropicMediaBlock | undefined {
  if (mediaType === "text/plain") {
    // Plain-text documents use a text source (https://docs.anthropic.com/en/docs/build-with-claude/citations).
    const text = data.base64 ? Buffer.from(data.data, "base64").toString("utf8") : decodeURIComponent(data.data);
    return { type: "document", source: { type: "text", media_type: "text/plain", data: text } };
  }
  const base64 = data.base64 ? data.data : Buffer.from(decodeURIComponent(data.data), "utf8").toString("base64");
  if (base64.length === 0) {
    warn(param, "the data URL is empty; the part was dropped");
    return undefined;
  }
  const source: AnthropicSource = { type: "base64", media_type: mediaType, data: base64 };
  // PDFs are `document` blocks with media_type application/pdf, never an image
  // media type (https://docs.anthropic.com/en/docs/build-with-claude/pdf-support).
  return mediaType === PDF ? { type: "document", source } : { type: "image", source };
}
