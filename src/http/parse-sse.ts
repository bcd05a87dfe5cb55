export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

export interface SseDecoder {
  /** Feeds bytes; returns the events they completed. */
  push(bytes: Uint8Array): SseEvent[];
  /** Flushes what is left when the body ends. */
  end(): SseEvent[];
}

/**
 * Splits an SSE byte stream into events (WHATWG rules: LF, CR or CRLF line
 * ends, multi-line data, comments ignored). Gemini frames with CRLF and
 * Anthropic pads JSON with spaces; both are handled here once. Synchronous,
 * so a hot stream loop pays no async step per event.
 */
export function createSseDecoder(): SseDecoder {
  const decoder = new TextDecoder();
  /** The streaming decoder may hold the first bytes of a character: it reads on until an ASCII end. */
  let split = false;
  let started = false;
  let buffer = "";
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;

  function take(out: SseEvent[]): void {
    let start = 0;
    for (;;) {
      // The common event, one `data: ` line and a blank line (LF only), costs one slice.
      if (data.length === 0 && event === undefined && buffer.startsWith("data: ", start)) {
        const nl = buffer.indexOf("\n", start);
        if (nl !== -1 && buffer.charCodeAt(nl + 1) === 10) {
          const value = buffer.slice(start + 6, nl);
          if (value.indexOf("\r") === -1) {
            out.push({ event: undefined, data: value, id });
            start = nl + 2;
            continue;
          }
        }
      }
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
        if (data.length > 0) out.push({ event, data: data.length === 1 ? data[0]! : data.join("\n"), id });
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
    buffer = start === 0 ? buffer : buffer.slice(start);
  }

  return {
    push(bytes) {
      // Bytes that end on a whole character (an SSE chunk normally ends in "\n") decode without the
      // streaming decoder, which costs more; a split character goes through it.
      // A leading byte-order mark is the streaming decoder's to drop.
      const last = bytes.length === 0 ? 0 : bytes[bytes.length - 1]!;
      if (!split && last < 0x80 && Buffer.isBuffer(bytes) && (started || bytes[0] !== 0xef)) buffer += bytes.toString("utf8");
      else {
        buffer += decoder.decode(bytes, { stream: true });
        split = last >= 0x80;
      }
      started ||= bytes.length > 0;
      const out: SseEvent[] = [];
      take(out);
      return out;
    },
    end() {
      buffer += decoder.decode();
      const out: SseEvent[] = [];
      take(out);
      if (buffer.length > 0) {
        const line = buffer.replace(/\r$/, "");
        if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        buffer = "";
      }
      if (data.length > 0) out.push({ event, data: data.join("\n"), id });
      data = [];
      return out;
    },
  };
}

/** The events of an SSE body, one at a time. */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = createSseDecoder();
  // for-of, not yield* over the array: yield* would wrap it in an async-from-sync iterator per read.
  for await (const bytes of body) for (const event of decoder.push(bytes)) yield event;
  for (const event of decoder.end()) yield event;
}
