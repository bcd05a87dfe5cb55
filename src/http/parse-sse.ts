export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/**
 * Splits an SSE byte stream into events (WHATWG rules: LF, CR or CRLF line
 * ends, multi-line data, comments ignored). Gemini frames with CRLF and
 * Anthropic pads JSON with spaces; both are handled here once.
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let start = 0;
    for (;;) {
      let end = buffer.indexOf("\n", start);
      const cr = buffer.indexOf("\r", start);
      if (cr !== -1 && (end === -1 || cr < end)) {
        // A lone CR at the very end may be the first half of CRLF: wait for more.
        if (cr === buffer.length - 1) break;
        end = cr;
      }
      if (end === -1) break;
      const line = buffer.slice(start, end);
      start = end + (buffer[end] === "\r" && buffer[end + 1] === "\n" ? 2 : 1);
      if (line === "") {
        if (data.length > 0) yield { event, data: data.join("\n"), id };
        data = [];
        event = undefined;
        continue;
      }
      if (line.charCodeAt(0) === 58 /* : */) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
      if (field === "data") data.push(value);
      else if (field === "event") event = value;
      else if (field === "id") id = value;
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  if (buffer.length > 0) {
    const line = buffer.replace(/\r$/, "");
    if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (data.length > 0) yield { event, data: data.join("\n"), id };
}
