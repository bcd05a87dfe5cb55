import { describe, expect, it } from "vitest";
import { parseSse, type SseEvent } from "../../src/http/parse-sse.js";

async function parse(pieces: Array<string | Uint8Array>, asBuffers = false): Promise<SseEvent[]> {
  const enc = new TextEncoder();
  async function* body() {
    // undici hands Buffers, which take the decoder's fast path; tests' Uint8Arrays take the streaming one.
    for (const p of pieces) {
      const bytes = typeof p === "string" ? enc.encode(p) : p;
      yield asBuffers ? Buffer.from(bytes) : bytes;
    }
  }
  const out: SseEvent[] = [];
  for await (const e of parseSse(body())) out.push(e);
  return out;
}

const datas = (events: SseEvent[]) => events.map((e) => e.data);

describe("parseSse", () => {
  it.each([
    ["LF framing", ["data: a\n\ndata: b\n\n"], ["a", "b"]],
    ["CRLF framing (Gemini)", ["data: a\r\n\r\ndata: b\r\n\r\n"], ["a", "b"]],
    ["CR-only framing", ["data: a\r\rdata: b\r\r"], ["a", "b"]],
    ["an event split mid-line", ['data: {"x"', ":1}\n", "\n"], ['{"x":1}']],
    ["CRLF split between CR and LF", ["data: a\r", "\n\r", "\ndata: b\r\n\r\n"], ["a", "b"]],
    ["one byte at a time", [..."data: hi\n\ndata: yo\n\n"], ["hi", "yo"]],
    ["comments ignored", [": keep-alive\n\ndata: a\n: inside\n\n"], ["a"]],
    ["multi-line data joined with LF", ["data: line1\ndata: line2\ndata:line3\n\n"], ["line1\nline2\nline3"]],
    ["no space after the colon", ["data:x\n\n"], ["x"]],
    ["only the first space stripped", ["data:  two\n\n"], [" two"]],
    ["blank lines between events", ["\n\n\ndata: a\n\n\n\n"], ["a"]],
    ["a last event without its blank line", ["data: a\n\ndata: tail"], ["a", "tail"]],
    ["[DONE] is just data", ["data: [DONE]\n\n"], ["[DONE]"]],
    ["unknown fields ignored", ["retry: 10\nfoo: bar\ndata: a\n\n"], ["a"]],
  ])("%s", async (_label, pieces, expected) => {
    expect(datas(await parse(pieces))).toEqual(expected);
    expect(datas(await parse(pieces, true))).toEqual(expected);
  });

  it("Buffers: UTF-8 split across chunks, a byte-order mark, ids kept across single-line events", async () => {
    const bytes = Buffer.from("\uFEFFdata: héllo 🌍\n\nid: 9\ndata: a\n\ndata: b\n\n");
    for (const size of [1, 2, 3, 5, 64]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
      expect(await parse(pieces, true)).toEqual([
        { event: undefined, id: undefined, data: "héllo 🌍" },
        { event: undefined, id: "9", data: "a" },
        { event: undefined, id: "9", data: "b" },
      ]);
    }
  });

  it("reads event names and ids (Anthropic framing)", async () => {
    const events = await parse(["event: message_start\nid: 7\ndata: {}\n\nevent: ping\ndata: {}\n\n"]);
    expect(events).toEqual([
      { event: "message_start", id: "7", data: "{}" },
      { event: "ping", id: "7", data: "{}" },
    ]);
  });

  it("decodes UTF-8 split across chunks", async () => {
    const bytes = new TextEncoder().encode("data: héllo 🌍\n\n");
    const pieces = Array.from(bytes, (b) => new Uint8Array([b]));
    expect(datas(await parse(pieces))).toEqual(["héllo 🌍"]);
  });

  it("an event with no data lines is not dispatched", async () => {
    expect(await parse(["event: x\n\n"])).toEqual([]);
  });
});
