/**
 * Run with `node --allow-natives-syntax --import tsx`: answers a few JSON
 * and streamed requests through gateway.handle and prints, as JSON, whether
 * the objects of two answers of the same kind share their hidden class.
 */
import { createGateway } from "../../../src/index.js";
import { mergeFields } from "../../../src/core/merge-fields.js";
import { Cancel } from "../../../src/core/cancel.js";
import { createProviderContext } from "../../../src/core/create-provider-context.js";
import type { GatewayRuntime } from "../../../src/core/gateway-runtime.js";
import { toGatewayRequest } from "../../../adapters/node/to-gateway-request.js";
import { fastProperties, sameMap } from "../../helpers/v8-natives.js";

/**
 * Two objects made the same way: one hidden class, and fast properties (a
 * getter written in an object literal made each object a dictionary, one
 * hash table per object).
 */
const alike = (a: unknown, b: unknown) => sameMap(a, b) && fastProperties(a) && fastProperties(b);

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "up-model", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const frames = [chunk({ role: "assistant", content: "" }), chunk({ content: "Hi" }), chunk({ content: " there" }), chunk({}, "stop"), "data: [DONE]\n\n"].map((f) => Buffer.from(f));
const completion = Buffer.from(
  JSON.stringify({ id: "c1", object: "chat.completion", created: 1, model: "up-model", choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }),
);

const upstreamRequests: unknown[] = [];
const transport = async (req: { body?: string }) => {
  upstreamRequests.push(req);
  const stream = req.body?.includes('"stream":true') ?? false;
  return {
    status: 200,
    headers: { "content-type": stream ? "text/event-stream" : "application/json", "x-ratelimit-remaining-requests": "99" },
    body: (async function* () {
      if (stream) yield* frames;
      else yield completion;
    })(),
    text: async () => completion.toString(),
    dump: async () => undefined,
  };
};

const gateway = createGateway({
  providers: { up: { type: "openai", baseURL: "http://127.0.0.1:9/v1", apiKey: "x" } },
  models: [{ id: "up/model", pricing: { prompt: "1", completion: "2" }, context_length: 100_000, routes: [{ provider: "up", model: "up-model" }] }],
  transport: transport as never,
});
await gateway.ready();
// A key with limits: its answers carry x-ratelimit-* headers from admission too.
const { key } = await gateway.keys.create({ credits: 100, limits: { requestsPerMinute: 1000 } });

const answer = (stream: boolean) =>
  gateway.handle({
    method: "POST",
    path: "/chat/completions",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "up/model", messages: [{ role: "user", content: "hello" }], stream }),
    signal: new AbortController().signal,
  });

const json = [];
const streams = [];
// Enough answers for V8 to finish sizing the objects (slack tracking): with 6, even the spread versions still shared.
for (let i = 0; i < 40; i++) {
  const res = await answer(false);
  if (res.kind !== "json" || res.status !== 200) throw new Error(`JSON answer ${i}: ${JSON.stringify(res)}`);
  json.push(res);
  const s = await answer(true);
  if (s.kind !== "stream") throw new Error(`stream answer ${i}: ${JSON.stringify(s)}`);
  for await (const frame of s.events) void frame;
  streams.push(s);
}
const [a, b] = json.slice(-2) as [(typeof json)[number], (typeof json)[number]];
const [s1, s2] = streams.slice(-2) as [(typeof streams)[number], (typeof streams)[number]];
const rt = { transport, now: Date.now, timeouts: { firstByteMs: 1000, responseMs: 2000, idleMs: 500 }, hooks: {} } as unknown as GatewayRuntime;
const providerContext = () => createProviderContext(rt, "req_1", new Cancel(), [], { provider: "up", model: "up/model" }, "stream");
const adapterRequest = () => toGatewayRequest("POST", "/chat/completions", { host: "x" }, "{}", new Cancel(), () => "127.0.0.1");
const adapterHeaders = (h: Record<string, string>) => mergeFields(h, { "content-type": "application/json", "content-length": 10 });
console.log(
  JSON.stringify({
    "JSON answer body": sameMap(a.body, b.body),
    "JSON answer headers": sameMap(a.headers, b.headers),
    "stream answer events": sameMap(s1.events, s2.events),
    "stream answer headers": sameMap(s1.headers, s2.headers),
    "adapter headers": sameMap(adapterHeaders(a.headers), adapterHeaders(b.headers)),
    "upstream request": alike(upstreamRequests.at(-2), upstreamRequests.at(-1)),
    "provider context": alike(providerContext(), providerContext()),
    "adapter request": alike(adapterRequest(), adapterRequest()),
  }),
);
await gateway.close();
