import { afterAll, describe, expect, it } from "vitest";
import { createGateway } from "modelmux";

/** With defaultKeyLimits, every answer carries x-ratelimit-* headers, also for keys without their own limits. */
let now = Date.UTC(2026, 10, 22, 12, 0, 0);
const gateway = createGateway({ providers: { mock: { type: "mock" } }, defaultKeyLimits: { requestsPerMinute: 2 }, now: () => now });
afterAll(() => gateway.close());

const ask = (key: string) =>
  gateway.handle({
    method: "POST",
    path: "/chat/completions",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: { model: "mock/echo", messages: [{ role: "user", content: "hi" }] },
  }) as Promise<{ status: number; headers: Record<string, string> }>;

describe("default key limits", () => {
  it("applies to a key with no limits of its own, with headers on every answer and a 429 past it", async () => {
    const { key } = await gateway.keys.create({ name: "plain" });
    const first = await ask(key);
    expect(first.status).toBe(200);
    expect(first.headers).toMatchObject({ "x-ratelimit-limit-requests": "2", "x-ratelimit-remaining-requests": "1" });
    expect(first.headers["x-ratelimit-reset-requests"]).toBeTruthy();
    expect((await ask(key)).headers["x-ratelimit-remaining-requests"]).toBe("0");
    const third = await ask(key);
    expect(third.status).toBe(429);
    expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
    now += 60_000;
    expect((await ask(key)).status).toBe(200);
  });

  it("a key's own limit wins over the default", async () => {
    const { key } = await gateway.keys.create({ name: "own", limits: { requestsPerMinute: 10 } });
    expect((await ask(key)).headers["x-ratelimit-limit-requests"]).toBe("10");
  });
});
