import type { MessagesContentBlock } from "./messages-request-schema.js";

/** An OpenAI content part, loosely typed: the chat schema validates it afterwards. */
export type ChatPart = Record<string, unknown> & { type: string };

/**
 * One user-side Anthropic block (text, image, document) as an OpenAI content
 * part, or null when it has no OpenAI form (only an Anthropic route can take it).
 * Images and PDFs become data URLs / `file` parts, as the chat format wants
 * (https://platform.openai.com/docs/guides/pdf-files); a plain-text document
 * becomes text, its title first.
 */
export function convertSourceBlock(block: MessagesContentBlock): ChatPart | null {
  const b = block as Record<string, unknown> & { type: string };
  const extra = b.cache_control !== undefined ? { cache_control: b.cache_control } : {};
  if (b.type === "text") return { type: "text", text: String(b.text), ...extra };
  const source = (b.source ?? {}) as { type?: string; media_type?: string; data?: string; url?: string };
  if (b.type === "image") {
    if (source.type === "base64") return { type: "image_url", image_url: { url: `data:${source.media_type};base64,${source.data}` }, ...extra };
    if (source.type === "url") return { type: "image_url", image_url: { url: source.url }, ...extra };
    return null;
  }
  if (b.type === "document") {
    const title = typeof b.title === "string" ? b.title : undefined;
    if (source.type === "base64") {
      return { type: "file", file: { filename: title ?? "document.pdf", file_data: `data:${source.media_type};base64,${source.data}` }, ...extra };
    }
    if (source.type === "text") return { type: "text", text: title ? `${title}\n\n${source.data ?? ""}` : (source.data ?? ""), ...extra };
    return null;
  }
  return null;
}
