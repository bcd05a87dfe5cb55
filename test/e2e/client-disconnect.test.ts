import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGateway, type Gateway, type UsageRecord } from "modelmux";
import { FakeUpstream, type Handler } from "../helpers/fake-upstream.js";
import { listen, variant, type Framework } from "../helpers/http-apps.js";

const KEY = "sk-disconnect-test-key-1";

/** An endless-looking upstream stream: one content chunk every 10 ms, usage only at the very end. */
const slowStream: Handler = async (_req, res) => {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.flushHeaders();
  const base = { id: "chatcmpl-slow", object: "chat.completion.chunk", created: 1, model: "gpt-slow" };
  for (let i = 0; i < 500 && !res.destroyed; i++) {
    const delta = i === 0 ? { role: "assistant", content: "" } : { content: `word${i} ` };
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
    await new Promise((r) => setTimeout(r, 10));
  }
  if (res.destroyed) return;
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`);
  res.end("data: [DONE]\n\n");
};

/** Opens a streamed chat, reads `events` data events, then drops the connection; resolves with the drop time. */
function streamThenDisconnect(url: string, events: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: "up/slow", messages: [{ role: "user", content: "Count for a long time" }], stream: true });
    const req = httpRequest(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` } }, (res) => {
      let seen = 0;
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        seen += text.split("data: ").length - 1;
        if (seen >= events) {
          const at = Date.now();
          req.destroy();
          resolve(at);
        }
      });
      res.on("error", () => undefined);
    });
    req.on("error", (e) => (e.message.includes("aborted") || (e as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(e)));
    req.end(body);
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 2000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const FRAMEWORKS: Framework[] = ["express5", "koa3", "express4", "koa2", "node"];

describe.each(FRAMEWORKS)("client disconnect mid-stream: %s", (framework) => {
  let fake: FakeUpstream;
  let gateway: Gateway;
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    fake = await new FakeUpstream().start();
    gateway = createGateway({
      providers: { up: { type: "openai", baseURL: `${fake.url}/v1`, apiKey: "sk-up" } },
      models: [{ id: "up/slow", pricing: { prompt: "1", completion: "2" }, routes: [{ provider: "up", model: "gpt-slow" }] }],
      keys: [KEY],
      retry: { maxRetries: 0, baseDelayMs: 0 },
    });
    server = await listen(variant(framework).create(gateway));
  });
  afterAll(async () => {
    await server.close();
    await gateway.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    fake.on("/v1/chat/completions", slowStream);
  });

  it("closes the upstream connection within 100 ms and accounts the partial answer as cancelled", async () => {
    const droppedAt = await streamThenDisconnect(server.url, 8);
    const closedAt = await waitFor(() => fake.closedAt[0], 1000);
    expect(closedAt - droppedAt).toBeLessThan(100);

    const record = await waitFor<UsageRecord>(async () => (await gateway.store.listUsage({})).records.find((r) => r.status !== 0));
    expect(record).toMatchObject({ cancelled: true, stream: true, model: "up/slow", provider: "up", endpoint: "/chat/completions" });
    expect(record.completionTokens).toBeGreaterThan(0);
    expect(record.promptTokens).toBeGreaterThan(0);
    expect(record.costNano).toBeGreaterThan(0);
    // Far fewer than the 500 chunks the upstream would have sent.
    expect(fake.requests).toHaveLength(1);
  });
});
