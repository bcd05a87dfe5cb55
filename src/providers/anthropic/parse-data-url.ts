export interface DataUrl {
  mediaType: string;
  base64: boolean;
  data: string;
}

/**
 * Splits `data:<media type>[;params][;base64],<data>` (RFC 2397). Returns
 * undefined for anything else, so callers can tell a data URL from a link.
 */
export function parseDataUrl(url: string): DataUrl | undefined {
  const match = /^data:([^,]*?),(.*)$/s.exec(url);
  if (!match) return undefined;
  const params = (match[1] ?? "").split(";");
  const base64 = params.slice(1).some((p) => p.trim().toLowerCase() === "base64");
  // RFC 2397: an empty media type means text/plain.
  const mediaType = (params[0] ?? "").trim().toLowerCase() || "text/plain";
  return { mediaType, base64, data: match[2] ?? "" };
}
