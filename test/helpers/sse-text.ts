/** One `data:` payload of a gateway SSE answer; `done` marks `data: [DONE]`. */
export interface ParsedSse {
  /** JSON payloads in order (comments and [DONE] excluded). */
  events: Array<Record<string, unknown>>;
  /** Every data line in order, "[DONE]" included, for ordering checks. */
  data: string[];
  comments: string[];
}

/** Splits a complete SSE body (as the test client received it) into events. */
export function parseSseText(text: string): ParsedSse {
  const out: ParsedSse = { events: [], data: [], comments: [] };
  for (const block of text.split(/\r?\n\r?\n/)) {
    const lines = block.split(/\r?\n/).filter((l) => l.length > 0);
    const dataLines: string[] = [];
    for (const line of lines) {
      if (line.startsWith(":")) out.comments.push(line.slice(1).trim());
      else if (line.startsWith("data:")) dataLines.push(line.slice(5).replace(/^ /, ""));
    }
    if (dataLines.length === 0) continue;
    const data = dataLines.join("\n");
    out.data.push(data);
    if (data !== "[DONE]") out.events.push(JSON.parse(data) as Record<string, unknown>);
  }
  return out;
}

type SuperagentParser = Extract<Parameters<import("superagent").Request["parse"]>[0], (res: never, cb: never) => void>;

/** A superagent parser that buffers the body as text (for text/event-stream). */
export const textParser: SuperagentParser = (res, cb) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  let text = "";
  stream.setEncoding("utf8");
  stream.on("data", (c: string) => (text += c));
  stream.on("end", () => cb(null, text));
  stream.on("error", (e: Error) => cb(e, text));
};
