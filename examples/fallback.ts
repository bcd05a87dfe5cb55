/**
 * Fallback in action, with no network: a local "flaky" OpenAI-compatible
 * upstream that always answers 503, and the mock model behind it.
 * `npx tsx examples/fallback.ts` prints which model answered and the attempts.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createGateway } from "modelmux";

const flaky = createServer((_req, res) => {
  res.writeHead(503, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message: "overloaded", type: "server_error" } }));
});
await new Promise<void>((r) => flaky.listen(0, "127.0.0.1", r));
const port = (flaky.address() as AddressInfo).port;

const gateway = createGateway({
  providers: { flaky: { type: "openai", baseURL: `http://127.0.0.1:${port}/v1` }, mock: { type: "mock" } },
  models: [{ id: "flaky/gpt-4o-mini", pricing: { prompt: "0.15", completion: "0.6" }, routes: [{ provider: "flaky", model: "gpt-4o-mini" }] }],
  retry: { maxRetries: 1, baseDelayMs: 50 },
  auth: false,
});

const res = await gateway.handle({
  method: "POST",
  path: "/chat/completions",
  headers: { "content-type": "application/json" },
  body: { models: ["flaky/gpt-4o-mini", "mock/echo"], route: "fallback", messages: [{ role: "user", content: "Who answers?" }] },
});
if (res.kind !== "json") throw new Error("expected JSON");
const body = res.body as { id: string; model: string; choices: Array<{ message: { content: string } }> };
console.log(`status ${res.status}; answered by ${body.model}: ${body.choices[0]?.message.content}`);
const gen = await gateway.handle({ method: "GET", path: `/generation?id=${body.id}`, headers: {} });
console.log("attempts:", JSON.stringify((gen as { body: { data: { attempts: unknown } } }).body.data.attempts));
flaky.close();
await gateway.close();
