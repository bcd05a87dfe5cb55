import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "modelmux";

const dir = mkdtempSync(join(tmpdir(), "modelmux-close-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
async function open(chunkDelayMs: number): Promise<{ gateway: Gateway; key: string; keyId: string; path: string }> {
  const path = join(dir, `close-${files++}.db`);
  const gateway = createGateway({ providers: { mock: { type: "mock", chunkDelayMs } }, store: path });
  const { key, id } = await gateway.keys.create({ credits: 1 });
  return { gateway, key, keyId: id, path };
}

const chat = (gateway: Gateway, key: string, stream: boolean) =>
  gateway.handle({ method: "POST", path: "/chat/completions", headers: { authorization: `Bearer ${key}` }, body: { model: "mock/echo-priced", messages: [{ role: "user", content: "one two three four five six" }], stream } });

type Stream = { kind: "stream"; events: AsyncIterable<string> };

/** What the store file holds once the gateway is gone: usage rows, live holds, and the key's balance. */
function inFile(path: string, keyId: string) {
  const db = new Database(path, { readonly: true });
  try {
    const usage = db.prepare("SELECT cost_nano AS cost, settled, record FROM usage").all() as Array<{ cost: number; settled: number; record: string }>;
    const holds = (db.prepare("SELECT COUNT(*) AS n FROM reservations").get() as { n: number }).n;
    const balance = (db.prepare("SELECT balance_nano AS b FROM keys WHERE id = ?").get(keyId) as { b: number }).b;
    return { usage, holds, balance };
  } finally {
    db.close();
  }
}

describe("gateway.close()", () => {
  it("lets a stream in flight finish, then settles and records it before closing the store", async () => {
    const { gateway, key, keyId, path } = await open(20);
    const res = (await chat(gateway, key, true)) as Stream;
    const frames: string[] = [];
    let closing: Promise<void> | undefined;
    for await (const frame of res.events) {
      frames.push(frame);
      // Shut down as soon as the stream has started (the examples' SIGINT handler does the same).
      closing ??= gateway.close();
    }
    await closing;
    expect(frames.join("")).toMatch(/"usage":\{[^]*data: \[DONE\]\n\n$/);
    const { usage, holds, balance } = inFile(path, keyId);
    expect(usage).toHaveLength(1);
    expect(usage[0]!.settled).toBe(1);
    expect(usage[0]!.cost).toBeGreaterThan(0);
    expect(JSON.parse(usage[0]!.record)).toMatchObject({ status: 200, errorCode: null });
    expect(holds).toBe(0);
    expect(balance).toBe(1e9 - usage[0]!.cost);
  });

  it("answers new requests with a 503 gateway_closing while it waits", async () => {
    const { gateway, key } = await open(20);
    const res = (await chat(gateway, key, true)) as Stream;
    const events = res.events[Symbol.asyncIterator]();
    await events.next();
    const closing = gateway.close();
    const refused = await chat(gateway, key, false);
    expect(refused).toMatchObject({ kind: "json", status: 503, headers: { "retry-after": "1" }, body: { error: { code: "gateway_closing" } } });
    // Every endpoint that reaches an upstream is refused; reads that do not still answer.
    const embedding = await gateway.handle({ method: "POST", path: "/embeddings", headers: { authorization: `Bearer ${key}` }, body: { model: "mock/embed", input: "x" } });
    expect(embedding).toMatchObject({ status: 503, body: { error: { code: "gateway_closing" } } });
    expect(await gateway.handle({ method: "GET", path: "/models", headers: {} })).toMatchObject({ kind: "json", status: 200 });
    while (!(await events.next()).done);
    await closing;
  });

  it("stops waiting after timeoutMs for a request that never finishes", async () => {
    const { gateway, key, keyId, path } = await open(0);
    // Answered but never read: its record would be written only when its events are.
    await chat(gateway, key, true);
    const started = Date.now();
    await gateway.close({ timeoutMs: 150 });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(5_000);
    // Its hold was never settled: it stays in the file, to expire and be reconciled as abandoned.
    expect(inFile(path, keyId).usage.filter((u) => u.settled === 1)).toHaveLength(0);
  });

  it("closes at once when nothing is in flight", async () => {
    const { gateway } = await open(0);
    const started = Date.now();
    await gateway.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
