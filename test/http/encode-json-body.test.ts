import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway, type UpstreamRequest } from "modelmux";
import { encodeJsonBody } from "../../src/http/encode-json-body.js";
import { FakeUpstream } from "../helpers/fake-upstream.js";
import { fixtureJson } from "../helpers/fixtures.js";
import { jsonFixture } from "../helpers/openai-replay.js";
import { seeded } from "../helpers/seeded.js";

const asBytes = (v: string | Buffer) => (typeof v === "string" ? Buffer.from(v) : v);

/** Text with every kind of character JSON treats differently: escapes, controls, non-ASCII, pairs and lone surrogates. */
function text(rand: () => number, length: number): string {
  const alphabet = ["a", " ", "é", "漢", "😀", '"', "\\", "\n", "\u0001", "\u2028", "\ud800", "\udc00", "/", "<"];
  let s = "";
  while (s.length < length) s += rand() < 0.7 ? "lorem ipsum " : alphabet[Math.floor(rand() * alphabet.length)]!;
  return s;
}

class Point {
  constructor(
    readonly x: number,
    readonly label: string,
  ) {}
}

function value(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth <= 0 || r < 0.3) {
    const kinds: Array<() => unknown> = [
      () => text(rand, Math.floor(rand() * 40)),
      () => text(rand, 16_000 + Math.floor(rand() * 60_000)),
      () => Math.floor(rand() * 1e6) / 7,
      () => [Number.NaN, -0, Infinity, 0.1][Math.floor(rand() * 4)],
      () => rand() < 0.5,
      () => null,
      () => undefined,
      () => () => 1,
      () => new Date(Math.floor(rand() * 1e12)),
      () => ({ toJSON: () => undefined }),
      () => ({ toJSON: (key: string) => `under ${key}` }),
      () => new Point(rand(), "p"),
      () => [new String("boxed"), new Number(3), new Boolean(false)][Math.floor(rand() * 3)],
    ];
    return kinds[Math.floor(rand() * kinds.length)]!();
  }
  if (r < 0.55) return Array.from({ length: Math.floor(rand() * 5) }, () => value(rand, depth - 1));
  const o: Record<string, unknown> = rand() < 0.1 ? Object.create(null) : {};
  const n = Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) o[rand() < 0.2 ? String(Math.floor(rand() * 10)) : `k${Math.floor(rand() * 8)}"é`] = value(rand, depth - 1);
  return o;
}

describe("encodeJsonBody", () => {
  it("gives JSON.stringify's bytes: a string when short, a Buffer when long", () => {
    const short = { model: "m", messages: [{ role: "user", content: "hi" }] };
    expect(encodeJsonBody(short)).toBe(JSON.stringify(short));
    const long = { model: "m", messages: [{ role: "user", content: "x".repeat(100_000) }] };
    const out = encodeJsonBody(long);
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(asBytes(out).equals(Buffer.from(JSON.stringify(long)))).toBe(true);
    // Long, but only short strings: one JSON.stringify, as before (piece by piece cost more than it saved).
    const conversation = { model: "m", messages: Array.from({ length: 2000 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `turn ${i}: a line of earlier conversation` })) };
    expect(encodeJsonBody(conversation)).toBe(JSON.stringify(conversation));
  });

  it("serialises a long body once: the whole value never goes through JSON.stringify", () => {
    const long = { model: "m", messages: [{ role: "user", content: "x".repeat(100_000) }] };
    const serialised: unknown[] = [];
    const stringify = JSON.stringify;
    JSON.stringify = ((value: unknown, ...rest: []) => (serialised.push(value), stringify(value, ...rest))) as typeof JSON.stringify;
    let out: string | Buffer;
    try {
      out = encodeJsonBody(long);
    } finally {
      JSON.stringify = stringify;
    }
    expect(asBytes(out).equals(Buffer.from(JSON.stringify(long)))).toBe(true);
    // Only the short values and the long string's slices: a first pass over the whole body only measured it.
    expect(serialised).not.toContain(long);
    expect(serialised).not.toContain(long.messages);
    expect(serialised.filter((v) => typeof v === "string" && v.length > 1000)).toHaveLength(Math.ceil(100_000 / 16_384));
  });

  it("never cuts a surrogate pair at a slice edge, and escapes lone surrogates as JSON.stringify does", () => {
    for (const at of [16_383, 16_384, 16_385, 32_767, 32_768]) {
      const s = `${"a".repeat(at)}😀${"b".repeat(70_000)}\ud800 \udc00${"😀".repeat(20_000)}`;
      const body = { content: s };
      expect(asBytes(encodeJsonBody(body)).equals(Buffer.from(JSON.stringify(body))), `pair at ${at}`).toBe(true);
    }
  });

  it("matches JSON.stringify byte for byte on 300 generated bodies (nesting, omitted values, toJSON with its key or returning undefined, class instances, boxed primitives, null prototypes, integer keys)", () => {
    const rand = seeded(7);
    let long = 0;
    for (let i = 0; i < 300; i++) {
      const body = { messages: [value(rand, 4), value(rand, 3)], extra: value(rand, 3), padding: text(rand, 70_000) };
      const out = encodeJsonBody(body);
      if (Buffer.isBuffer(out)) long++;
      expect(asBytes(out).equals(Buffer.from(JSON.stringify(body))), `body ${i}`).toBe(true);
    }
    expect(long).toBe(300);
  });
});

describe("long request bodies reach every provider byte for byte", () => {
  const upstream = new FakeUpstream();
  const seen: UpstreamRequest[] = [];
  let gateway: Gateway;
  let viaCustom: Gateway;
  const prompt = `${"lorem ipsum 漢字 😀 \"quoted\" \n".repeat(40_000)}end`;

  beforeAll(async () => {
    await upstream.start();
    const models = [
      { id: "oa/m", context_length: 4_000_000, routes: [{ provider: "oa", model: "gpt" }] },
      { id: "an/m", context_length: 4_000_000, routes: [{ provider: "an", model: "claude" }] },
      { id: "gg/m", context_length: 4_000_000, routes: [{ provider: "gg", model: "gemini" }] },
    ];
    const providers = {
      oa: { type: "openai" as const, baseURL: `${upstream.url}/v1`, apiKey: "k" },
      an: { type: "anthropic" as const, baseURL: upstream.url, apiKey: "k" },
      gg: { type: "google" as const, baseURL: `${upstream.url}/v1beta`, apiKey: "k" },
    };
    gateway = createGateway({ providers, models, auth: false });
    // A transport of the host's own sees `body` as the string it always was.
    viaCustom = createGateway({
      providers,
      models,
      auth: false,
      transport: async (req) => {
        seen.push(req);
        return { status: 200, headers: { "content-type": "application/json" }, body: (async function* () {})(), text: async () => JSON.stringify(fixtureJson("openai/openai-text.json")), dump: async () => undefined };
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await viaCustom.close();
    await upstream.stop();
  });

  // Recorded answers of each provider (../shared/fixtures/upstream).
  const answers: Record<string, string> = { "oa/m": "openai/openai-text.json", "an/m": "anthropic/anthropic-text.json", "gg/m": "google/google-text.json" };
  const ask = (g: Gateway, model: string) => g.handle({ method: "POST", path: "/chat/completions", headers: { "content-type": "application/json" }, body: { model, messages: [{ role: "user", content: prompt }] } });

  for (const model of ["oa/m", "an/m", "gg/m"]) {
    it(`${model}: the upstream gets the whole prompt, with a Content-Length of its bytes`, async () => {
      upstream.next(jsonFixture(answers[model]!));
      const res = await ask(gateway, model);
      expect(res.kind === "json" && res.status).toBe(200);
      const sent = upstream.requests.at(-1)!;
      expect(Number(sent.headers["content-length"])).toBe(Buffer.byteLength(sent.body));
      expect(sent.body).toContain(JSON.stringify(prompt).slice(1, -1));
    });
  }

  it("a custom transport reads the long body as a string, the same text", async () => {
    const res = await ask(viaCustom, "oa/m");
    expect(res.kind === "json" && res.status).toBe(200);
    const body = seen.at(-1)!.body!;
    expect(typeof body).toBe("string");
    expect((JSON.parse(body) as { messages: Array<{ content: string }> }).messages.at(-1)!.content).toBe(prompt);
  });
});
