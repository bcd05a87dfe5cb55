import { afterEach, describe, expect, it } from "vitest";
import { createGateway, GatewayError, type Gateway, type GatewayOptions } from "modelmux";

/** Issue 5: a hook that throws or hangs never breaks or holds up the answer beyond a bounded time, and is reported. */
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function make(hooks: GatewayOptions["hooks"]) {
  gateway = createGateway({ providers: { mock: { type: "mock" } }, auth: false, hookTimeoutMs: 100, hooks });
  return gateway;
}

const ask = (g: Gateway, path = "/chat/completions", body: Record<string, unknown> = { model: "mock/echo", messages: [{ role: "user", content: "hi" }] }) =>
  g.handle({ method: "POST", path, headers: { "content-type": "application/json" }, body }) as Promise<{ status: number; body: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("beforeRequest", () => {
  it("may replace the body (here: the model)", async () => {
    const g = make({ beforeRequest: (ctx) => ({ ...ctx.body, model: "mock/echo-priced" }) });
    const res = await ask(g);
    expect(res.status).toBe(200);
    expect(res.body.model).toBe("mock/echo-priced");
  });

  it("refuses with the status of a GatewayError it throws", async () => {
    const g = make({ beforeRequest: () => { throw new GatewayError({ status: 403, code: "forbidden", message: "not on weekends" }); } });
    const res = await ask(g);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: "forbidden", message: "not on weekends" });
  });

  it("a hook that throws anything else is reported and the request goes on", async () => {
    const seen: unknown[] = [];
    const g = make({ beforeRequest: () => { throw new Error("bug in the host"); }, onError: (e) => void seen.push(e) });
    const res = await ask(g);
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 10));
    expect(String(seen[0])).toContain("bug in the host");
  });

  it("a hook that hangs holds the answer no longer than hookTimeoutMs", async () => {
    const seen: unknown[] = [];
    const g = make({ beforeRequest: () => new Promise(() => undefined), onError: (e) => void seen.push(e) });
    const started = Date.now();
    const res = await ask(g);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(String(seen[0])).toContain("did not finish within 100 ms");
  });

  it("applies to /embeddings too", async () => {
    const g = make({ beforeRequest: () => { throw new GatewayError({ status: 429, code: "rate_limit_exceeded", message: "host quota" }); } });
    const res = await ask(g, "/embeddings", { model: "mock/embed", input: "x" });
    expect(res.status).toBe(429);
  });
});
