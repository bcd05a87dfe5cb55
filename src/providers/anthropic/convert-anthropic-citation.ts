import type { AnthropicCitation } from "./anthropic-types.js";

export interface UrlCitationAnnotation {
  type: "url_citation";
  url_citation: { url: string; title: string; start_index: number; end_index: number; content?: string };
}

/**
 * One Anthropic citation as an OpenAI `url_citation` annotation over
 * [start, end) of the returned content. Web search citations carry `url`;
 * search result citations carry `source` (https://docs.anthropic.com/en/docs/build-with-claude/citations).
 * Document citations (char/page/block locations) have no URL and return undefined.
 */
export function convertAnthropicCitation(citation: AnthropicCitation, start: number, end: number): UrlCitationAnnotation | undefined {
  const url = typeof citation.url === "string" ? citation.url : typeof citation.source === "string" ? citation.source : undefined;
  if (url === undefined) return undefined;
  const annotation: UrlCitationAnnotation = {
    type: "url_citation",
    url_citation: { url, title: typeof citation.title === "string" ? citation.title : "", start_index: start, end_index: end },
  };
  if (typeof citation.cited_text === "string") annotation.url_citation.content = citation.cited_text;
  return annotation;
}
