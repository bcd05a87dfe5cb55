import type { ContentPart } from "../../schemas/chat-request-schema.js";
import { convertMediaUrl } from "./convert-media-url.js";
import type { GeminiPart } from "./gemini-types.js";
import { guessMimeType } from "./guess-mime-type.js";
import { parseDataUrl } from "./parse-data-url.js";
import type { GeminiConvertOptions } from "./remote-media.js";

/** input_audio formats -> IANA types Gemini reads (https://ai.google.dev/gemini-api/docs/audio#supported-formats). */
const AUDIO_TYPES: Record<string, string> = { wav: "audio/wav", mp3: "audio/mpeg", mpeg: "audio/mpeg", aiff: "audio/aiff", aac: "audio/aac", ogg: "audio/ogg", flac: "audio/flac" };

/**
 * OpenAI user (or tool) content -> Gemini parts: text, images (`image_url`),
 * audio (`input_audio`) and files (`file.file_data`, PDFs as
 * `application/pdf`, never an image type) as `inlineData`.
 */
export function convertUserParts(content: string | ContentPart[], param: string, options: GeminiConvertOptions): GeminiPart[] {
  if (typeof content === "string") return [{ text: content }];
  const parts: GeminiPart[] = [];
  content.forEach((part, i) => {
    const converted = convertPart(part, `${param}.content[${i}]`, options);
    if (converted) parts.push(converted);
  });
  return parts;
}

function convertPart(part: ContentPart, param: string, options: GeminiConvertOptions): GeminiPart | undefined {
  switch (part.type) {
    case "text":
      return { text: part.text };
    case "refusal":
      return { text: part.refusal };
    case "image_url":
      return convertMediaUrl(part.image_url.url, param, options);
    case "input_audio": {
      const format = part.input_audio.format.toLowerCase();
      return { inlineData: { mimeType: AUDIO_TYPES[format] ?? `audio/${format}`, data: part.input_audio.data } };
    }
    case "file":
      return convertFile(part.file, param, options);
  }
}

function convertFile(file: { filename?: string; file_data?: string; file_id?: string }, param: string, options: GeminiConvertOptions): GeminiPart | undefined {
  if (file.file_data === undefined) {
    options.warn("messages", `${param}: file_id references an OpenAI upload Gemini cannot read; dropped`);
    return undefined;
  }
  if (file.file_data.startsWith("data:")) return convertMediaUrl(file.file_data, param, options);
  // Bare base64 (some clients omit the data: prefix): the type comes from the file name, PDF by default.
  const mimeType = (file.filename !== undefined ? guessMimeType(file.filename) : undefined) ?? "application/pdf";
  const inline = parseDataUrl(`data:${mimeType};base64,${file.file_data}`);
  return inline ? { inlineData: inline } : undefined;
}
